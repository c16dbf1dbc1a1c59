"""Column calendar arithmetic matches core.dates and core.retirement day for day."""

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chuangye.core.dates import add_months
from chuangye.core.retirement import category_for, retirement_date
from chuangye.policies import batch_dates as bd

EVERY_DAY = np.arange(np.datetime64("1900-01-01"), np.datetime64("2101-01-01"))
PY_DAYS = [dt.date(1900, 1, 1) + dt.timedelta(days=i) for i in range(len(EVERY_DAY))]

days = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
month_ends = st.builds(
    lambda y, m: add_months(dt.date(y, m, 1), 1) - dt.timedelta(days=1), st.integers(1900, 2100), st.integers(1, 12)
)
any_day = st.one_of(days, month_ends, st.just(dt.date(2024, 2, 29)), st.just(dt.date(2000, 2, 29)))


def as_dates(values: np.ndarray) -> list[dt.date]:
    return values.astype("datetime64[D]").astype(object).tolist()


@pytest.mark.parametrize("months", [-60, -1, 1, 12, 24, 216])
def test_numpy_add_months_is_core_add_months_on_every_day(months):
    assert as_dates(bd.add_months_days(EVERY_DAY, months)) == [add_months(d, months) for d in PY_DAYS]


@pytest.mark.parametrize("sex", ["M", "F"])
def test_numpy_retirement_is_core_retirement_on_every_day(sex):
    expected = [retirement_date(d, category_for(sex)) for d in PY_DAYS]
    assert as_dates(bd.retirement_days(EVERY_DAY, sex)) == expected


@given(st.lists(st.tuples(any_day, st.integers(-900, 900)), min_size=1, max_size=30))
def test_per_row_add_months_column(pairs):
    frame = pl.DataFrame({"d": [d for d, _ in pairs], "m": [m for _, m in pairs]}, schema={"d": pl.Date, "m": pl.Int64})
    got = frame.select(bd.add_months_column(pl.col("d"), pl.col("m"))).to_series().to_list()
    assert got == [add_months(d, m) for d, m in pairs]


@given(
    st.lists(st.tuples(any_day, st.sampled_from(["M", "F"])), min_size=1, max_size=30),
    st.integers(-80, 0),
    st.booleans(),
)
def test_mapped_column_is_retirement_then_months(people, shift, complete):
    """Both ways of mapping by sex (each row's position in CATEGORIES): a choice between the two tables (the sex
    column may hold nulls), and one table of pairs read at the position (the column has none)."""
    positions = [bd.CATEGORIES.index(s) for _, s in people]
    frame = pl.DataFrame({"b": [b for b, _ in people], "s": positions}, schema={"b": pl.Date, "s": pl.UInt8})
    mapping = bd.DateMap(pl.col("b")).retire(pl.col("s"), complete=complete).add_months(shift)
    got = frame.select(mapping.column(bd.day_index(pl.col("b")))).to_series().to_list()
    assert got == [add_months(retirement_date(b, category_for(s)), shift) for b, s in people]


@given(
    births=st.lists(any_day, min_size=1, max_size=30),
    on=any_day,
    months=st.integers(0, 800),
    op=st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
)
def test_threshold_comparison_equals_comparing_the_derived_date(births, on, months, op):
    mapping = bd.DateMap(pl.col("b")).add_months(months)
    frame = pl.DataFrame({"b": births}, schema={"b": pl.Date})
    got = frame.select(mapping.compare(op, on)).to_series().to_list()
    compare = {"<": dt.date.__lt__, "<=": dt.date.__le__, ">": dt.date.__gt__, ">=": dt.date.__ge__}
    compare |= {"==": dt.date.__eq__, "!=": dt.date.__ne__}
    assert got == [compare[op](add_months(b, months), on) for b in births]


def test_step_lookup_reads_the_value_in_force():
    starts = [dt.date(2020, 1, 1), dt.date(2021, 6, 1)]
    frame = pl.DataFrame({"d": [dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2021, 6, 1), None]})
    got = frame.select(bd.step_lookup(bd.day_index(pl.col("d")), starts, [10, 20])).to_series().to_list()
    assert got == [None, 10, 20, None]


def test_nulls_stay_null():
    frame = pl.DataFrame({"d": [None], "s": [None]}, schema={"d": pl.Date, "s": pl.UInt8})
    mapping = bd.DateMap(pl.col("d")).retire(pl.col("s"))
    assert frame.select(mapping.column(bd.day_index(pl.col("d")))).item() is None
    assert frame.select(bd.add_months_column(pl.col("d"), pl.lit(3))).item() is None
