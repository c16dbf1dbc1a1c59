"""Repayment schedules: golden cases on 360 and 365 bases, and properties every schedule keeps."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chuangye.loans.schedule import Terms, build_schedule, period_interest, settlement_dates

D = dt.date


def test_quarterly_settlement_on_the_twentieth_then_maturity():
    assert settlement_dates(D(2025, 6, 10), D(2026, 6, 10), "quarterly") == [
        D(2025, 6, 20),
        D(2025, 9, 20),
        D(2025, 12, 20),
        D(2026, 3, 20),
        D(2026, 6, 10),
    ]
    assert settlement_dates(D(2025, 6, 20), D(2025, 9, 20), "monthly") == [
        D(2025, 7, 20),
        D(2025, 8, 20),
        D(2025, 9, 20),
    ]


def test_golden_interest_only_loan_on_a_360_basis():
    """300,000 at 3.00% (1-year LPR 3.00% + 0) from 2025-06-10 for one year, interest quarterly."""
    rows = build_schedule(Terms(Decimal("300000.00"), Decimal("0.0300"), D(2025, 6, 10), 12))
    assert [(r.due, r.days, r.interest) for r in rows] == [
        (D(2025, 6, 20), 10, Decimal("250.00")),
        (D(2025, 9, 20), 92, Decimal("2300.00")),
        (D(2025, 12, 20), 91, Decimal("2275.00")),
        (D(2026, 3, 20), 90, Decimal("2250.00")),
        (D(2026, 6, 10), 82, Decimal("2050.00")),
    ]
    assert rows[-1].principal == Decimal("300000.00") and rows[-1].balance_after == 0
    assert sum(r.interest for r in rows) == Decimal("9125.00")  # 365 days × 300,000 × 3% / 360


def test_golden_half_up_rounding_on_a_365_basis():
    # 200,000 × 3.45% × 31 / 365 = 586.027… → 586.03; 123,456.78 × 3.85% × 92 / 365 = 1198.038… → 1198.04
    assert period_interest(Decimal("200000.00"), Decimal("0.0345"), 31, 365) == Decimal("586.03")
    assert period_interest(Decimal("123456.78"), Decimal("0.0385"), 92, 365) == Decimal("1198.04")
    # Exactly half a 分 rounds up: 1,000 × 4.5% × 1 / 360 = 0.125 → 0.13
    assert period_interest(Decimal("1000.00"), Decimal("0.045"), 1, 360) == Decimal("0.13")


def test_equal_principal_spreads_the_remainder_exactly():
    rows = build_schedule(
        Terms(Decimal("100000.00"), Decimal("0.0345"), D(2025, 1, 20), 36, "equal_principal", frequency="monthly")
    )
    assert len(rows) == 36 and sum(r.principal for r in rows) == Decimal("100000.00")
    assert {r.principal for r in rows} == {Decimal("2777.78"), Decimal("2777.77")}


def test_equal_instalments_are_level_and_clear_the_loan():
    rows = build_schedule(
        Terms(Decimal("200000.00"), Decimal("0.0360"), D(2025, 3, 20), 24, "equal_instalment", frequency="monthly")
    )
    totals = {r.total for r in rows[:-1]}
    assert totals == {Decimal("8649.42")}  # 200,000 × 0.003 / (1 − 1.003^−24) = 8649.417…
    assert sum(r.principal for r in rows) == Decimal("200000.00") and rows[-1].balance_after == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"principal": Decimal("0")},
        {"principal": Decimal("1.005")},
        {"annual_rate": Decimal("-0.01")},
        {"months": 0},
        {"method": "balloon"},
        {"basis": 366},
    ],
)
def test_bad_terms_are_refused(bad):
    base = {"principal": Decimal("1000.00"), "annual_rate": Decimal("0.03"), "start": D(2025, 1, 1), "months": 12}
    with pytest.raises(ValueError):
        Terms(**{**base, **bad})


terms = st.builds(
    Terms,
    principal=st.integers(min_value=100, max_value=400_000_000).map(lambda f: Decimal(f) / 100),
    annual_rate=st.integers(min_value=0, max_value=1200).map(lambda bp: Decimal(bp) / 10000),
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)),
    months=st.integers(min_value=1, max_value=36),
    method=st.sampled_from(["interest_only", "equal_principal", "equal_instalment"]),
    basis=st.sampled_from([360, 365]),
    frequency=st.sampled_from(["quarterly", "monthly"]),
)


@given(terms)
def test_every_schedule_repays_the_principal_exactly_and_never_goes_negative(t):
    rows = build_schedule(t)
    assert sum((r.principal for r in rows), Decimal(0)) == t.principal
    assert rows[-1].due == t.maturity and rows[-1].balance_after == 0
    assert all(r.principal >= 0 and r.interest >= 0 and r.balance_after >= 0 for r in rows)
    assert all(r.interest == r.interest.quantize(Decimal("0.01")) for r in rows)
    assert sum(r.days for r in rows) == (t.maturity - t.start).days
