"""Compiled values of the batch evaluator: Polars expressions with their kind, and numbers as exact integers.

A number is an integer column over a denominator fixed at compile time (money columns are 分 over 100, rates
millionths over 10^6, ``2/3`` is 2 over 3, ...), with the static range of its numerator. Sums rescale to a common
denominator and products multiply denominators; the range decides when a product needs 128-bit integers.
"""

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np
import polars as pl

from chuangye.policies import batch_dates as bd
from chuangye.policies import expr as x
from chuangye.policies import facts as vocab

INT64_SAFE = 2**62  # products beyond this bound are computed in Int128
RATE_DENOMINATOR = 10**vocab.RATE_PLACES
NO_CONST = object()


@dataclass(frozen=True)
class C:
    """A compiled node: its expression, kind, and for numbers the denominator and the range of the numerator
    (``lo``..``hi``, known statically from fact limits and parameter values).

    A derived date may carry ``make`` instead of an expression: it is built only if something needs the column
    (a comparison with the decision date uses ``mono`` and never does). ``nullable`` is False only when the
    value is known never to be null (complete fact columns, defaults filled, constants), which lets the compiler
    leave out null handling that could never apply."""

    made: pl.Expr | None
    kind: str
    denom: int = 1
    lo: int = 0
    hi: int = 0
    const: Any = NO_CONST
    mono: bd.DateMap | None = None
    make: Callable[[], pl.Expr] | None = None
    steps: "Steps | None" = None
    nullable: bool = True
    # For a condition: a cheaper expression that is True exactly where this one is (null or False elsewhere),
    # enough where null and False mean the same (the condition of an ``If``).
    true_where: pl.Expr | None = None
    # For a condition: where it holds, the date column named by the key lies in [start, end) (end None: open);
    # ``otherwise_within``: where it does not hold or is null (the other branch of an ``If``), it lies in that.
    within: "tuple[str, Any, Any] | None" = None
    otherwise_within: "tuple[str, Any, Any] | None" = None
    tab: "Tab | None" = None  # a number tabulated over row positions (see ``Tab``)
    # A code column is compiled as its codes' positions in the vocabulary (an Enum's physical value, or the
    # positions a frame gave directly): ``codes`` lists the vocabulary. None for everything else.
    codes: tuple[str, ...] | None = None

    @property
    def expr(self) -> pl.Expr:
        made = self.made
        if made is None:
            if self.make is None:
                raise ValueError("a compiled node needs an expression or a way to make one")
            made = self.make()
            object.__setattr__(self, "made", made)
        return made

    @property
    def is_const(self) -> bool:
        return self.const is not NO_CONST

    @property
    def bound(self) -> int:
        return max(abs(self.lo), abs(self.hi))


@dataclass(frozen=True)
class Steps:
    """A dated parameter read on each row's date ``at``: its entries (start, value), oldest first. Tests on it
    (equal to a value, present at all) become date-range tests, without building the value column.

    Compiled for rows known to have ``at`` on or after ``floor`` and before ``ceiling`` (a branch's days, see
    ``Compiler.compile_within``; None: nothing known), the entries are those in force on some of those days, and
    range tests the rows meet anyway are left out."""

    at: pl.Expr
    entries: tuple[tuple[Any, Any], ...]
    at_nullable: bool = True
    floor: Any = None
    ceiling: Any = None

    @classmethod
    def of(
        cls, at: pl.Expr, entries: tuple[tuple[Any, Any], ...], at_nullable: bool, floor: Any, ceiling: Any
    ) -> "Steps | None":
        """The entries in force on some day of [floor, ceiling) (None: unbounded); None if there are none."""
        kept = tuple(
            (start, value)
            for start, end, value in _stretches_of(entries)
            if (ceiling is None or start < ceiling) and (floor is None or end is None or end > floor)
        )
        return cls(at, kept, at_nullable, floor, ceiling) if kept else None

    @property
    def everywhere(self) -> bool:
        """Whether every row considered has a date, with a value in force on it."""
        return self.floor is not None and self.entries[0][0] <= self.floor

    def since(self, start: Any) -> pl.Expr | None:
        """``at >= start``, or None where every row considered meets it (``before``: ``at < end``)."""
        return None if self.floor is not None and start <= self.floor else self.at >= start

    def before(self, end: Any) -> pl.Expr | None:
        return None if end is None or (self.ceiling is not None and end >= self.ceiling) else self.at < end

    def present(self) -> pl.Expr:
        started = self.since(self.entries[0][0])
        if started is None:
            return pl.lit(True)
        return started.fill_null(False) if self.at_nullable else started

    def equals(self, value: Any) -> pl.Expr:
        if self.everywhere:
            return self.matches(value)
        # Null, as per person, when the date is missing or before any value applies.
        return pl.when(self.at >= self.entries[0][0]).then(self.matches(value)).otherwise(None)

    def always(self, value: Any) -> bool | None:
        """True if ``value`` is in force on every row considered, False if on none, None if it varies."""
        if not self.everywhere:
            return None
        found = {item == value for _, item in self.entries}
        return found.pop() if len(found) == 1 else None

    def _stretches(self, value: Any) -> list[tuple[Any, Any]]:
        return [(start, end) for start, end, item in _stretches_of(self.entries) if item == value]

    def span(self, value: Any) -> tuple[str, Any, Any] | None:
        """Where the value in force is ``value``, if that is one stretch of days: (``day_key``, start, end)."""
        found = self._stretches(value)
        if len(found) != 1:
            return None
        return day_key(self.at), *found[0]

    def span_otherwise(self, value: Any) -> tuple[str, Any, Any] | None:
        """Where the value in force is not ``value``, if every row considered has a date and that is one stretch
        of them (the branch an ``If`` takes otherwise: a null test takes it too, hence the need for a date)."""
        found = self._stretches(value)
        if not self.everywhere or len(found) != 1:
            return None
        start, end = found[0]
        if start <= self.floor and end is not None:
            return day_key(self.at), end, self.ceiling
        if end is None or (self.ceiling is not None and end >= self.ceiling):
            return day_key(self.at), self.floor, start
        return None

    def matches(self, value: Any) -> pl.Expr:
        """True where the value in force is ``value``; False (or null for a missing date) elsewhere."""
        ranges: list[pl.Expr] = []
        for start, end in self._stretches(value):
            tests = [t for t in (self.since(start), self.before(end)) if t is not None]
            if not tests:
                return pl.lit(True)
            ranges.append(tests[0] if len(tests) == 1 else tests[0] & tests[1])
        return (ranges[0] if len(ranges) == 1 else pl.any_horizontal(ranges)) if ranges else pl.lit(False)


def _stretches_of(entries: tuple[tuple[Any, Any], ...]) -> list[tuple[Any, Any, Any]]:
    """Each entry as (start, end, value): in force from its start until the next entry's (None: no end)."""
    ends = [start for start, _ in entries[1:]] + [None]
    return [(start, end, value) for (start, value), end in zip(entries, ends, strict=True)]


@dataclass(frozen=True, eq=False)
class Tab:
    """A number that depends on nothing but a row's position in a table — a date column's place in the calendar
    (a parameter in force on the contract date), perhaps paired with a yes/no column — tabulated at compile time.
    Sums, differences, scalings and minimums of such numbers (and constants) are worked out on the tables, so a
    row needs one gather at run time however many parameters the formula combines."""

    key: str  # what the position is; tables combine only with the same key
    index: Callable[[], pl.Expr]  # the position column, built (once) if the table is read
    index_nullable: bool
    numbers: np.ndarray  # int64 numerator at each position
    valid: np.ndarray  # False where the value is null

    def with_numbers(self, numbers: np.ndarray, valid: np.ndarray | None = None) -> "Tab":
        return replace(self, numbers=numbers, valid=self.valid if valid is None else valid)

    def value(self, kind: str, denom: int) -> C:
        """This table as a compiled number over ``denom``."""
        present = self.numbers[self.valid]
        lo, hi = (int(present.min()), int(present.max())) if present.size else (0, 0)
        nullable = self.index_nullable or not bool(self.valid.all())
        lookup = lambda: bd.table_lookup(self.index(), self.numbers, self.valid)  # noqa: E731
        return C(None, kind, denom, lo, hi, make=lookup, nullable=nullable, tab=self)


def day_key(base: pl.Expr) -> str:
    """What identifies the calendar positions of a date column (the key of its tables, see ``Tab``)."""
    return f"day:{base}"


def cheap(expr: pl.Expr) -> bool:
    """A column or a literal: read again at no cost (anything else would be computed again each time it is read)."""
    return expr.meta.is_column() or expr.meta.is_literal()


def lit_int(value: int) -> pl.Expr:
    return pl.lit(value, dtype=pl.Int64 if abs(value) < INT64_SAFE else pl.Int128)


@functools.cache
def position_dtype(codes: tuple[str, ...]) -> pl.DataType:
    """The integer type of positions in ``codes``: the physical type of the Enum of those codes."""
    return pl.Series(dtype=pl.Enum(list(codes))).to_physical().dtype


def text(c: C) -> pl.Expr:
    """A code value as text (a column of positions turned back into its codes); any other value as it is."""
    if c.codes is None or c.is_const:
        return c.expr
    return pl.lit(pl.Series(c.codes, dtype=pl.String)).gather(c.expr)


def code_pair(a: C, b: C, *, ordered: bool = False) -> tuple[pl.Expr, pl.Expr, tuple[str, ...] | None]:
    """Two code values made comparable: as positions when both are positions in the same vocabulary or one is
    a constant code of the other's vocabulary (``==``/``!=`` then compare small integers), else both as text
    (also for ``ordered`` comparisons: codes order as text, as they do per person). The third item is the
    vocabulary of the positions, None for text."""
    if not ordered:
        if a.codes is not None and a.codes == b.codes and not (a.is_const or b.is_const):
            return a.expr, b.expr, a.codes
        for column, other, flipped in ((a, b, False), (b, a, True)):
            codes = column.codes
            if codes is None or column.is_const or not other.is_const:
                continue
            if other.const is None or other.const in codes:
                value = None if other.const is None else codes.index(other.const)
                known = pl.lit(value, dtype=position_dtype(codes))
                return (known, column.expr, codes) if flipped else (column.expr, known, codes)
    return text(a), text(b), None


def const(kind: str, value: Any) -> C:
    known = value is not None
    if kind in x.NUMERIC:
        if value is None:
            return C(pl.lit(None, dtype=pl.Int64), kind, const=None)
        frac = Fraction(value)
        n = frac.numerator
        return C(lit_int(n), kind, frac.denominator, n, n, const=value, nullable=False)
    if kind == "set":
        return C(pl.lit(None), kind, const=value, nullable=not known)
    dtype = {"bool": pl.Boolean, "date": pl.Date, "str": pl.String}[kind]
    return C(pl.lit(value, dtype=dtype), kind, const=value, nullable=not known)


def times(c: C, factor: int) -> pl.Expr:
    if factor == 1:
        return c.expr
    if c.is_const and c.kind in x.NUMERIC:
        # A constant's numerator scaled at compile time: a literal, not a column operation.
        return c.expr if c.const is None else lit_int(Fraction(c.const).numerator * factor)
    if c.tab is not None and c.bound * abs(factor) < INT64_SAFE:
        return c.tab.with_numbers(c.tab.numbers * factor).value(c.kind, c.denom).expr
    expr = c.expr.cast(pl.Int128) if c.bound * factor >= INT64_SAFE else c.expr
    return expr * factor


@dataclass(frozen=True)
class Aligned:
    """Two numbers over their common denominator, with their numerator ranges at that denominator."""

    left: pl.Expr
    right: pl.Expr
    denom: int
    a: tuple[int, int]
    b: tuple[int, int]
    nullable: bool = True


def align(a: C, b: C) -> Aligned:
    den = math.lcm(a.denom, b.denom)
    fa, fb = den // a.denom, den // b.denom
    ranges = (a.lo * fa, a.hi * fa), (b.lo * fb, b.hi * fb)
    return Aligned(times(a, fa), times(b, fb), den, *ranges, nullable=a.nullable or b.nullable)


def multiply(a: C, b: C, kind: str) -> C:
    if b.is_const and not a.is_const:
        a, b = b, a
    if a.is_const:  # constant × column: fold the constant into the numerator and denominator
        if a.const is None:
            return const(kind, None)
        frac = Fraction(a.const)
        return scaled(b, frac.numerator, frac.denominator, kind)
    corners = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
    left = a.expr.cast(pl.Int128) if max(map(abs, corners)) >= INT64_SAFE else a.expr
    nullable = a.nullable or b.nullable
    return C(left * b.expr, kind, a.denom * b.denom, min(corners), max(corners), nullable=nullable)


def scaled(c: C, numerator: int, denominator: int, kind: str) -> C:
    """``c × numerator / denominator`` exactly, keeping the integers small by cancelling common factors."""
    den = c.denom * denominator
    g = math.gcd(numerator, den)
    numerator, den = numerator // g, den // g
    if den < 0:
        numerator, den = -numerator, -den
    if c.tab is not None and c.bound * abs(numerator) < INT64_SAFE:
        return c.tab.with_numbers(c.tab.numbers * numerator).value(kind, den)
    ends = (c.lo * numerator, c.hi * numerator)
    return C(times(c, numerator), kind, den, min(ends), max(ends), nullable=c.nullable)


def union(pair: Aligned) -> tuple[int, int]:
    return min(pair.a[0], pair.b[0]), max(pair.a[1], pair.b[1])


def fold_tables(a: C, b: C, kind: str, combine: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> C | None:
    """``combine`` of two numbers worked out on their tables when each is a table of the same positions or a
    constant (see ``Tab``); None when that does not apply."""
    tab = a.tab if a.tab is not None else b.tab
    if tab is None:
        return None
    for c in (a, b):
        if (c.tab is None and not (c.is_const and c.const is not None)) or (c.tab is not None and c.tab.key != tab.key):
            return None
    den = math.lcm(a.denom, b.denom)
    if max(a.bound * (den // a.denom), b.bound * (den // b.denom)) * 2 >= INT64_SAFE:
        return None

    def numbers(c: C) -> tuple[Any, Any]:
        factor = den // c.denom
        if c.tab is not None:
            return c.tab.numbers * factor, c.tab.valid
        return np.int64(Fraction(c.const).numerator * factor), True

    (na, va), (nb, vb) = numbers(a), numbers(b)
    valid = np.broadcast_to(np.logical_and(va, vb), tab.numbers.shape)
    return tab.with_numbers(np.broadcast_to(combine(na, nb), tab.numbers.shape), valid).value(kind, den)


def pair_tables(
    test: pl.Expr, a: C, b: C, kind: str, paired_index: Callable[[str, pl.Expr, pl.Expr], pl.Expr]
) -> C | None:
    """``If(test, a, b)`` of two tables of the same positions (or constants) as one table of twice the length,
    read at ``2 × position + test``: one gather instead of two and a choice (see ``Tab``)."""
    tab = a.tab if a.tab is not None else b.tab
    if tab is None:
        return None
    for c in (a, b):
        if (c.tab is None and not c.is_const) or (c.tab is not None and c.tab.key != tab.key):
            return None
    den = math.lcm(a.denom, b.denom)
    if max(a.bound * (den // a.denom), b.bound * (den // b.denom)) >= INT64_SAFE:
        return None
    size = tab.numbers.shape[0]
    numbers = np.zeros(2 * size, dtype=np.int64)
    valid = np.zeros(2 * size, dtype=bool)
    for offset, c in ((0, b), (1, a)):  # even positions: the test fails (or is unknown); odd: it holds
        factor = den // c.denom
        if c.tab is not None:
            numbers[offset::2], valid[offset::2] = c.tab.numbers * factor, c.tab.valid
        elif c.const is not None:
            numbers[offset::2], valid[offset::2] = Fraction(c.const).numerator * factor, True
    key = f"{tab.key}|{test}"
    position = tab.index
    index = lambda: paired_index(key, position(), test)  # noqa: E731
    return Tab(key, index, tab.index_nullable, numbers, valid).value(kind, den)
