"""A dated parameter's range tests (``plvalues.Steps``), also compiled for a stretch of days only (a branch's
days): every test and every span it reports, checked against the value in force row by row."""

import datetime as dt

import polars as pl
from hypothesis import example, given
from hypothesis import strategies as st

from chuangye.policies import expr as x
from chuangye.policies.catalogue.loan_interest_subsidy import METHOD
from chuangye.policies.plcompile import Compiler
from chuangye.policies.plprofile import Profile
from chuangye.policies.plvalues import Steps
from chuangye.policies.resolver import national_snapshot

DAY0 = dt.date(2020, 1, 1)
day = st.integers(0, 40).map(lambda n: DAY0 + dt.timedelta(days=n))


def in_force(entries, date):
    found = [value for start, value in entries if date is not None and start <= date]
    return found[-1] if found else None


def column(frame, expr):
    return frame.with_columns(expr.alias("r")).get_column("r").to_list()


def inside(span, date):
    _, start, end = span
    return date is not None and (start is None or date >= start) and (end is None or date < end)


@given(
    starts=st.lists(st.integers(0, 40), min_size=1, max_size=5, unique=True),
    values=st.lists(st.sampled_from("ab"), min_size=5, max_size=5),
    floor=st.none() | day,
    length=st.none() | st.integers(1, 30),
)
@example(starts=[0, 10, 20], values=list("abaaa"), floor=DAY0 + dt.timedelta(days=5), length=None)  # a middle stretch
@example(starts=[0, 6], values=list("abaaa"), floor=DAY0 + dt.timedelta(days=5), length=10)  # a change the next day
@example(starts=[0, 10], values=list("abaaa"), floor=DAY0, length=10)  # the next value starts at the ceiling
def test_range_tests_on_a_stretch_of_days_agree_with_the_value_in_force(starts, values, floor, length):
    dates = [None] + [DAY0 + dt.timedelta(days=n) for n in range(-2, 45)]  # every day around the entries
    entries = tuple((DAY0 + dt.timedelta(days=n), v) for n, v in zip(sorted(starts), values, strict=False))
    ceiling = None if floor is None or length is None else floor + dt.timedelta(days=length)
    # The rows compiled for: every date when nothing is known, else those in [floor, ceiling).
    rows = [d for d in dates if floor is None or (d is not None and d >= floor and (ceiling is None or d < ceiling))]
    steps = Steps.of(pl.col("d"), entries, True, floor, ceiling)
    forced = [in_force(entries, d) for d in rows]
    if steps is None:
        assert forced == [None] * len(rows)
        return
    frame = pl.DataFrame({"d": rows}, schema={"d": pl.Date})
    assert column(frame, steps.present()) == [f is not None for f in forced]
    if steps.everywhere:
        assert None not in forced
    for value in "ab":
        assert column(frame, steps.equals(value)) == [None if f is None else f == value for f in forced]
        matched = column(frame, steps.matches(value))
        assert [bool(m) for m in matched] == [f == value for f in forced]
        always = steps.always(value)
        if floor is not None and forced and all(f == value for f in forced):
            assert always is True  # a value in force on every day compiled for is known to be
        if always is True:
            assert all(f == value for f in forced)
        if always is False:
            assert value not in forced
        span, other = steps.span(value), steps.span_otherwise(value)
        if span is not None:
            assert all(inside(span, d) for d, f in zip(rows, forced, strict=True) if f == value)
        if other is not None:
            assert all(inside(other, d) for d, f in zip(rows, forced, strict=True) if f != value)


def test_only_all_of_passes_on_the_days_an_item_implies():
    """Where "all of" holds each item holds, so the days one implies carry over; "any of" implies nothing."""
    compiler = Compiler(national_snapshot(dt.date(2024, 6, 1)), profile=Profile())
    covered = compiler.compile(x.Present(METHOD)).within
    assert covered is not None
    assert compiler.compile(x.all_of(x.fact("employed"), x.Present(METHOD))).within == covered
    assert compiler.compile(x.any_of(x.fact("employed"), x.Present(METHOD))).within is None
