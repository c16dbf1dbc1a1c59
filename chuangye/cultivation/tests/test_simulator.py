"""The business simulation: exact figures on a worked example, and its identities for any inputs (hypothesis)."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from chuangye.cultivation.simulator import SimulationInputs, principal_schedule, simulate, stressed

ZERO = Decimal("0.00")

# A night-market snack stall: 10,000 own money, 8,000 fit-out, 15 yuan × 1,800 a month at 7 yuan cost, 2,500 rent;
# a 12,000 loan over 12 months at 3.6% paid back in equal principal.
STALL = SimulationInputs(
    months=12,
    opening_cash=Decimal("10000.00"),
    initial_investment=Decimal("8000.00"),
    price=Decimal("15.00"),
    monthly_volume=1800,
    unit_variable_cost=Decimal("7.00"),
    monthly_fixed_cost=Decimal("2500.00"),
    loan_principal=Decimal("12000.00"),
    loan_term_months=12,
    loan_annual_rate=Decimal("3.6"),
)


def test_the_worked_example_month_by_month():
    out = simulate(STALL)
    first = out.months[0]
    assert first.revenue == Decimal("27000.00") and first.variable_cost == Decimal("12600.00")
    assert first.loan_in == Decimal("12000.00") and first.interest == Decimal("36.00")  # 12000 × 0.3%
    assert first.principal == Decimal("1000.00")
    # 10000 + 27000 + 12000 − 12600 − 2500 − 8000 − 36 − 1000
    assert first.closing == Decimal("24864.00")
    assert out.months[1].interest == Decimal("33.00")  # on the 11,000 left
    assert out.months[-1].loan_balance == ZERO
    assert out.break_even_month == 1 and out.payback_month == 1
    assert out.lowest_cash == Decimal("24864.00") and out.lowest_cash_month == 1
    assert out.warnings == ()


def test_a_losing_business_warns_of_the_cash_gap_and_no_break_even():
    out = simulate(replace(STALL, monthly_volume=200, loan_principal=ZERO, loan_term_months=0))
    # Each month: 200 × 8 − 2500 = −900; month 1 also pays the 8,000 fit-out: 10000 − 8000 − 900 = 1100.
    assert out.break_even_month is None
    assert [m.closing for m in out.months[:3]] == [Decimal("1100.00"), Decimal("200.00"), Decimal("-700.00")]
    assert out.lowest_cash == Decimal("-8800.00") and out.lowest_cash_month == 12
    assert any(w.startswith("第3个月起现金为负") and "8800.00" in w for w in out.warnings)
    assert "模拟期内每个月经营均亏损，未达到盈亏平衡" in out.warnings


def test_seasonality_moves_the_break_even_month():
    # Opening in November with winter at 10% of normal volume: profit only turns positive in March (month 5).
    winter = (10, 10, 100, 100, 100, 100, 100, 100, 100, 100, 10, 10)
    out = simulate(replace(STALL, start_month=11, seasonality=winter, loan_principal=ZERO, loan_term_months=0))
    assert [m.profit < 0 for m in out.months[:5]] == [True, True, True, True, False]
    assert out.break_even_month == 5


def test_the_stress_view_sells_20_percent_less():
    base, stress = simulate(STALL), simulate(stressed(STALL))
    assert stress.months[0].revenue == Decimal("21600.00")  # 1440 × 15
    assert stress.lowest_cash < base.lowest_cash


def test_interest_only_repays_the_whole_loan_at_the_end_of_the_term():
    out = simulate(replace(STALL, loan_method="interest_only"))
    assert [m.principal for m in out.months[:-1]] == [ZERO] * 11
    assert out.months[-1].principal == Decimal("12000.00")
    assert all(m.interest == Decimal("36.00") for m in out.months)


def test_a_term_longer_than_the_simulation_leaves_a_balance_and_says_so():
    out = simulate(replace(STALL, loan_term_months=24))
    assert out.months[-1].loan_balance == Decimal("6000.00")
    assert any("贷款尚余 6000.00 元未还" in w for w in out.warnings)


def test_subsidies_arrive_in_their_months():
    out = simulate(
        replace(
            STALL,
            subsidy_once=Decimal("5000.00"),
            subsidy_once_month=3,
            subsidy_monthly=Decimal("300.00"),
            subsidy_monthly_months=2,
        )
    )
    assert [m.subsidy for m in out.months[:4]] == [Decimal("300.00"), Decimal("300.00"), Decimal("5000.00"), ZERO]


money = st.decimals(min_value=0, max_value=500_000, places=2)
inputs = st.builds(
    SimulationInputs,
    months=st.integers(12, 36),
    opening_cash=money,
    initial_investment=money,
    price=st.decimals(min_value=0, max_value=5_000, places=2),
    monthly_volume=st.integers(0, 20_000),
    unit_variable_cost=st.decimals(min_value=0, max_value=5_000, places=2),
    monthly_fixed_cost=money,
    staff_count=st.integers(0, 20),
    monthly_wage=st.decimals(min_value=0, max_value=20_000, places=2),
    loan_principal=money,
    loan_term_months=st.integers(1, 60),
    loan_annual_rate=st.decimals(min_value=0, max_value=24, places=4),
    loan_method=st.sampled_from(["equal_principal", "interest_only"]),
    subsidy_once=money,
    subsidy_once_month=st.integers(1, 36),
    subsidy_monthly=st.decimals(min_value=0, max_value=5_000, places=2),
    subsidy_monthly_months=st.integers(0, 36),
    start_month=st.integers(1, 12),
    seasonality=st.tuples(*[st.integers(0, 300)] * 12),
)


@settings(max_examples=150, deadline=None)
@given(inputs)
def test_cash_identity_every_month(i):
    out = simulate(i)
    opening = i.opening_cash
    for m in out.months:
        assert m.opening == opening
        assert m.closing == m.opening + m.inflows - m.outflows
        assert m.closing == m.closing.quantize(Decimal("0.01"))  # always whole 分
        opening = m.closing
    assert out.final_cash == i.opening_cash + sum(m.inflows - m.outflows for m in out.months)
    assert len(out.months) == i.months


@settings(max_examples=150, deadline=None)
@given(inputs)
def test_principal_repaid_plus_balance_left_is_the_loan(i):
    out = simulate(i)
    repaid = sum((m.principal for m in out.months), ZERO)
    assert repaid + out.months[-1].loan_balance == i.loan_principal
    assert sum(principal_schedule(i), ZERO) == i.loan_principal
    if i.loan_term_months <= i.months:
        assert repaid == i.loan_principal and out.months[-1].loan_balance == ZERO
    assert sum((m.loan_in for m in out.months), ZERO) == i.loan_principal
    assert all(m.loan_balance >= 0 for m in out.months)


@settings(max_examples=150, deadline=None)
@given(inputs)
def test_lowest_cash_and_break_even_are_what_the_months_say(i):
    out = simulate(i)
    assert out.lowest_cash == min(m.closing for m in out.months)
    assert out.months[out.lowest_cash_month - 1].closing == out.lowest_cash
    if out.break_even_month is None:
        assert all(m.profit < 0 for m in out.months)
    else:
        assert out.months[out.break_even_month - 1].profit >= 0
        assert all(m.profit < 0 for m in out.months[: out.break_even_month - 1])
    assert any("现金为负" in w for w in out.warnings) == (out.lowest_cash < 0)


@settings(max_examples=100, deadline=None)
@given(inputs)
def test_lower_sales_never_leave_more_cash_when_each_sale_earns_money(i):
    base, stress = simulate(i), simulate(stressed(i))
    for b, s in zip(base.months, stress.months, strict=True):
        assert s.revenue <= b.revenue
        if i.price >= i.unit_variable_cost:
            assert s.closing <= b.closing + Decimal("0.01") * b.month  # rounding to 分 per month at most
