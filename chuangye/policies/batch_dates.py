"""Calendar rules over whole columns, exactly as ``core.dates`` and ``core.retirement`` compute them per person.

A date derived from one date column — age 18, the retirement date, start + 12 months, retirement − 60 months —
is a function of that column alone (and of sex for retirement). Over the whole calendar the engine accepts
(1800–2300) such a function is a table of about 180,000 days, built with numpy month arithmetic that follows
``core.dates.add_months`` to the day (tests compare every day). A column is then mapped by one gather, and since
every such function is non-decreasing, a comparison with the decision date needs no mapping at all: it becomes
a comparison of the column with a threshold found in the table.
"""

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from chuangye.core.retirement import RULES, category_for

EPOCH = dt.date(1970, 1, 1)
DOMAIN_FROM = dt.date(1800, 1, 1)
DOMAIN_TO = dt.date(2300, 12, 31)
_FIRST = (DOMAIN_FROM - EPOCH).days
_SIZE = (DOMAIN_TO - DOMAIN_FROM).days + 1
# Sex codes, in the order of the batch schema's Enum (facts.SEXES); core.retirement.category_for maps them to the
# rule's category.
CATEGORIES = ("M", "F")

Op = tuple[str, int]  # ("months", k) or ("retire", 0)


def add_months_days(days: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """``core.dates.add_months`` over datetime64[D] arrays: the same day later, clamped to the month's end."""
    month_start = days.astype("datetime64[M]")
    day = (days - month_start.astype("datetime64[D]")).astype(np.int64)
    target = month_start + np.asarray(months, dtype=np.int64)
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    result: np.ndarray = target.astype("datetime64[D]") + np.minimum(day, length - 1)
    return result


def retirement_days(births: np.ndarray, sex: str) -> np.ndarray:
    """``core.retirement.retirement_date`` over a datetime64[D] array, for one sex's category."""
    rule = RULES[category_for(sex)]
    months = births.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    first = (rule.first_affected[0] - 1970) * 12 + rule.first_affected[1] - 1
    delay = np.clip((months - first) // rule.months_per_step + 1, 0, rule.max_delay_months)
    return add_months_days(births, rule.base_years * 12 + delay)


@functools.cache
def table(ops: tuple[Op, ...], sex: str | None) -> np.ndarray:
    """The derived date (days since 1970-01-01) for every day of the domain, after ``ops`` in order."""
    days = np.arange(_FIRST, _FIRST + _SIZE, dtype=np.int64).astype("datetime64[D]")
    for name, amount in ops:
        if name == "months":
            days = add_months_days(days, amount)
        else:
            if sex is None:
                raise ValueError("retirement needs the sex category")
            days = retirement_days(days, sex)
    values = days.astype(np.int64)
    if np.any(np.diff(values) < 0):
        raise ValueError(f"{ops} is not non-decreasing; thresholds would be wrong")
    values.setflags(write=False)
    return values


@dataclass(frozen=True)
class DateMap:
    """A date column passed through calendar steps (``ops``); by sex (``by``: each row's position in
    ``CATEGORIES``, an unsigned integer) once retirement is involved."""

    base: pl.Expr
    ops: tuple[Op, ...] = ()
    by: pl.Expr | None = None
    by_complete: bool = False  # the sex column has no nulls: the last category needs no test

    def add_months(self, months: int) -> "DateMap":
        return DateMap(self.base, (*self.ops, ("months", months)), self.by, self.by_complete)

    def retire(self, sex: pl.Expr, *, complete: bool = False) -> "DateMap":
        if self.by is not None:
            raise ValueError("only one retirement step per column")
        return DateMap(self.base, (*self.ops, ("retire", 0)), sex, complete)

    def tables(self) -> Mapping[str | None, np.ndarray]:
        if self.by is None:
            return {None: table(self.ops, None)}
        return {sex: table(self.ops, sex) for sex in CATEGORIES}

    def column(self, index: pl.Expr) -> pl.Expr:
        """The derived dates themselves: one gather per category at ``index`` (see ``day_index``)."""

        def mapped(values: np.ndarray, at: pl.Expr) -> pl.Expr:
            # A table of dates: the gather yields Date directly (no conversion of every row afterwards).
            return pl.lit(pl.Series(values.astype(np.int32)).cast(pl.Date)).gather(at)

        tables = self.tables()
        if self.by is not None and self.by_complete:
            # Every row has a sex: one table of (M, F) pairs, read at 2 × day + the sex's position in CATEGORIES,
            # instead of a gather per sex and a choice.
            paired = np.stack([tables[sex] for sex in CATEGORIES], axis=1).reshape(-1)
            return mapped(paired, index * 2 + self.by.cast(pl.UInt32))
        return _by_category(self, {k: mapped(v, index) for k, v in tables.items()})

    def compare(self, op: str, day: dt.date) -> pl.Expr:
        """``derived <op> day`` as a comparison of the base column with a threshold from the table."""
        return _by_category(self, {k: _threshold(self.base, v, op, day) for k, v in self.tables().items()})


def day_index(base: pl.Expr, *, in_domain: bool = False) -> pl.Expr:
    """A date column as a position in the calendar tables; null outside 1800–2300 (so gathers give null).
    ``in_domain``: every value of the column is known to lie inside, so the range test is left out.

    The position is UInt32, the index type of the standard Polars build: a gather then reads it as it is, where
    a signed index would first be converted row by row. Inside the domain it is never negative, so the bits are
    reinterpreted."""
    index = base.cast(pl.Int32) - _FIRST
    inside = index if in_domain else pl.when((index >= 0) & (index < _SIZE)).then(index)
    return inside.reinterpret(signed=False)


def positions(start: dt.date, end: dt.date | None) -> slice:
    """The table positions of the days from ``start`` up to ``end`` (exclusive; None: the domain's end)."""
    first = min(max((start - DOMAIN_FROM).days, 0), _SIZE)
    last = _SIZE if end is None else min(max((end - DOMAIN_FROM).days, 0), _SIZE)
    return slice(first, max(first, last))


def in_domain(low: dt.date | None, high: dt.date | None) -> bool:
    """Whether dates from ``low`` to ``high`` (a column's extremes; None for an all-null column) all have a
    position in the calendar tables."""
    return low is None or high is None or (low >= DOMAIN_FROM and high <= DOMAIN_TO)


def step_lookup(index: pl.Expr, starts: list[dt.date], values: list[int]) -> pl.Expr:
    """For each row, the value whose start is the latest on or before the row's date (null before the first
    start): one gather from a table over the calendar, at ``index`` from ``day_index``."""
    numbers, valid = step_arrays(tuple(starts), tuple(values))
    return table_lookup(index, numbers, valid)


@functools.lru_cache(maxsize=256)
def step_arrays(starts: tuple[dt.date, ...], values: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The value in force on every day of the domain (0 where none is) and where one is."""
    start_days = np.array([(s - EPOCH).days for s in starts], dtype=np.int64)
    position = np.searchsorted(start_days, np.arange(_FIRST, _FIRST + _SIZE), side="right") - 1
    numbers = np.array(values, dtype=np.int64)[np.clip(position, 0, None)]
    valid = position >= 0
    numbers.setflags(write=False)
    valid.setflags(write=False)
    return numbers, valid


def held_outside(numbers: np.ndarray, days: slice) -> tuple[np.ndarray, np.ndarray]:
    """A table read only at the positions ``days`` (all valid there), with the values at the two ends held
    before and after them instead of nulls: what it holds elsewhere is never used, and a gather from a table
    without nulls takes about half as long as one from a table with them (it need not gather validity)."""
    held = numbers.copy()
    held[: days.start] = numbers[days.start]
    held[days.stop :] = numbers[days.stop - 1]
    held.setflags(write=False)
    return held, np.ones(held.shape, dtype=bool)


def table_lookup(index: pl.Expr, numbers: np.ndarray, valid: np.ndarray) -> pl.Expr:
    """``numbers[index]`` per row, null where ``valid`` is False or the index is null."""
    table = pl.Series(numbers, dtype=pl.Int64)
    if not valid.all():
        table = pl.select(pl.when(pl.Series(valid)).then(table)).to_series()
    return pl.lit(table).gather(index)


def _by_category(mapping: DateMap, exprs: Mapping[str | None, pl.Expr]) -> pl.Expr:
    if mapping.by is None:
        return exprs[None]
    items = list(exprs.items())
    # Without nulls in the sex column the last category is whatever the others are not.
    last = items.pop()[1] if mapping.by_complete else None
    chain: Any = pl
    for sex, expr in items:
        chain = chain.when(mapping.by == CATEGORIES.index(sex)).then(expr)
    result: pl.Expr = chain.otherwise(last)
    return result


def _last_at_or_below(values: np.ndarray, day: dt.date) -> dt.date:
    """The latest base day whose derived date is on or before ``day`` (the day before the domain if none)."""
    position = int(np.searchsorted(values, (day - EPOCH).days, side="right")) - 1
    return DOMAIN_FROM + dt.timedelta(days=position)


def _threshold(base: pl.Expr, values: np.ndarray, op: str, day: dt.date) -> pl.Expr:
    previous = day - dt.timedelta(days=1)
    if op == "<=":
        return base <= _last_at_or_below(values, day)
    if op == "<":
        return base <= _last_at_or_below(values, previous)
    if op == ">":
        return base > _last_at_or_below(values, day)
    if op == ">=":
        return base > _last_at_or_below(values, previous)
    equal = (base > _last_at_or_below(values, previous)) & (base <= _last_at_or_below(values, day))
    return equal if op == "==" else ~equal


def add_months_column(date: pl.Expr, months: pl.Expr) -> pl.Expr:
    """``core.dates.add_months`` with a different month count per row (numpy, exact; rarely needed)."""

    def apply(pair: pl.Series) -> pl.Series:
        days = pair.struct.field("d").cast(pl.Int32).fill_null(0).to_numpy().astype("datetime64[D]")
        counts = pair.struct.field("m").fill_null(0).to_numpy()
        result = pl.Series(add_months_days(days, counts).astype(np.int64)).cast(pl.Int32).cast(pl.Date)
        missing = pair.struct.field("d").is_null() | pair.struct.field("m").is_null()
        return pl.select(pl.when(missing).then(None).otherwise(result)).to_series()

    return pl.struct(date.alias("d"), months.cast(pl.Int64).alias("m")).map_batches(apply, return_dtype=pl.Date)
