"""商业实战模拟: a monthly cash-flow simulation of a small business. A pure function of its inputs (no models).

Every month: opening cash + inflows (sales, the loan in month 1, subsidies) − outflows (variable costs, fixed costs,
wages, the start-up investment in month 1, loan interest and principal) = closing cash, which is the next month's
opening cash. Each amount is rounded half-up to the 分 once, where it arises (``to_fen``); sums are then exact.

Loan: disbursed in month 1. Interest each month = balance at the start of the month × annual rate ÷ 12. Principal
is repaid either in equal parts over the term (等额本金, the parts split by ``allocate`` so they sum exactly to the
loan) or all at the end of the term (按月付息、到期还本). A term longer than the simulation leaves a balance.

Seasonality: twelve percentages by calendar month, applied to volume, starting from ``start_month``.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from chuangye.core.money import ZERO, allocate, to_fen

MIN_MONTHS, MAX_MONTHS = 12, 36
STRESS_SALES_FACTOR = Decimal("0.8")  # "what if sales are 20% lower"
METHODS = {"equal_principal": "等额本金（每月还本付息）", "interest_only": "按月付息、到期还本"}


@dataclass(frozen=True)
class SimulationInputs:
    months: int
    opening_cash: Decimal  # own money put in at the start
    initial_investment: Decimal  # fit-out and equipment, paid in month 1
    price: Decimal
    monthly_volume: int
    unit_variable_cost: Decimal
    monthly_fixed_cost: Decimal  # rent, utilities, other fixed costs
    staff_count: int = 0
    monthly_wage: Decimal = ZERO  # per person, social insurance included
    loan_principal: Decimal = ZERO
    loan_term_months: int = 0
    loan_annual_rate: Decimal = ZERO  # percent
    loan_method: str = "equal_principal"
    subsidy_once: Decimal = ZERO  # e.g. 一次性创业补贴
    subsidy_once_month: int = 1
    subsidy_monthly: Decimal = ZERO  # e.g. 社会保险补贴
    subsidy_monthly_months: int = 0
    start_month: int = 1  # calendar month of simulation month 1
    seasonality: tuple[int, ...] = (100,) * 12  # percent of normal volume, January to December
    sales_factor: Decimal = Decimal(1)


@dataclass(frozen=True)
class Month:
    month: int
    opening: Decimal
    revenue: Decimal
    loan_in: Decimal
    subsidy: Decimal
    variable_cost: Decimal
    fixed_cost: Decimal
    wages: Decimal
    investment: Decimal
    interest: Decimal
    principal: Decimal
    closing: Decimal
    loan_balance: Decimal  # after this month's repayment

    @property
    def inflows(self) -> Decimal:
        return self.revenue + self.loan_in + self.subsidy

    @property
    def outflows(self) -> Decimal:
        return self.variable_cost + self.fixed_cost + self.wages + self.investment + self.interest + self.principal

    @property
    def profit(self) -> Decimal:
        """Operating profit, before subsidies and loan principal: what the business earns on its own."""
        return self.revenue - self.variable_cost - self.fixed_cost - self.wages - self.interest


@dataclass(frozen=True)
class Outcome:
    months: tuple[Month, ...]
    break_even_month: int | None  # first month whose operating profit is not negative
    payback_month: int | None  # first month by which cumulative operating profit covers the investment
    lowest_cash: Decimal
    lowest_cash_month: int
    final_cash: Decimal
    total_revenue: Decimal
    total_profit: Decimal
    warnings: tuple[str, ...] = field(default=())


def principal_schedule(inputs: SimulationInputs) -> list[Decimal]:
    """Principal repaid in each loan month 1..term; sums exactly to the loan."""
    loan, term = inputs.loan_principal, inputs.loan_term_months
    if loan <= 0 or term <= 0:
        return []
    if inputs.loan_method == "interest_only":
        return [ZERO] * (term - 1) + [loan]
    return allocate(loan, [1] * term)


def simulate(inputs: SimulationInputs) -> Outcome:
    schedule = principal_schedule(inputs)
    wages = to_fen(inputs.monthly_wage * inputs.staff_count)
    rate = inputs.loan_annual_rate / 100 / 12
    cash = inputs.opening_cash
    balance = ZERO
    rows: list[Month] = []
    for m in range(1, inputs.months + 1):
        season = Decimal(inputs.seasonality[(inputs.start_month - 1 + m - 1) % 12]) / 100
        volume = inputs.monthly_volume * season * inputs.sales_factor
        loan_in = inputs.loan_principal if m == 1 and schedule else ZERO
        balance += loan_in  # drawn at the start of month 1, so month 1 bears a month's interest
        interest = to_fen(balance * rate)
        principal = schedule[m - 1] if m <= len(schedule) else ZERO
        subsidy = ZERO
        if m == inputs.subsidy_once_month:
            subsidy += inputs.subsidy_once
        if m <= inputs.subsidy_monthly_months:
            subsidy += inputs.subsidy_monthly
        row = Month(
            month=m,
            opening=cash,
            revenue=to_fen(inputs.price * volume),
            loan_in=loan_in,
            subsidy=subsidy,
            variable_cost=to_fen(inputs.unit_variable_cost * volume),
            fixed_cost=inputs.monthly_fixed_cost,
            wages=wages,
            investment=inputs.initial_investment if m == 1 else ZERO,
            interest=interest,
            principal=principal,
            closing=ZERO,
            loan_balance=balance - principal,
        )
        closing = cash + row.inflows - row.outflows
        row = replace(row, closing=closing)
        rows.append(row)
        cash, balance = closing, balance - principal
    return _outcome(inputs, tuple(rows))


def _outcome(inputs: SimulationInputs, rows: tuple[Month, ...]) -> Outcome:
    break_even = next((r.month for r in rows if r.profit >= 0), None)
    payback = None
    cumulative = ZERO
    for r in rows:
        cumulative += r.profit
        if payback is None and cumulative >= inputs.initial_investment:
            payback = r.month
    lowest = min(rows, key=lambda r: (r.closing, r.month))
    outcome = Outcome(
        months=rows,
        break_even_month=break_even,
        payback_month=payback,
        lowest_cash=lowest.closing,
        lowest_cash_month=lowest.month,
        final_cash=rows[-1].closing,
        total_revenue=sum((r.revenue for r in rows), ZERO),
        total_profit=cumulative,
    )
    return replace(outcome, warnings=tuple(_warnings(inputs, outcome)))


def _warnings(inputs: SimulationInputs, o: Outcome) -> list[str]:
    found: list[str] = []
    if inputs.price <= inputs.unit_variable_cost:
        found.append("售价不高于单位变动成本：卖得越多亏得越多")
    negative = next((r for r in o.months if r.closing < 0), None)
    if negative is not None:
        found.append(
            f"第{negative.month}个月起现金为负，最低 {o.lowest_cash} 元（第{o.lowest_cash_month}个月），"
            f"须提前准备至少 {-o.lowest_cash} 元的补充资金"
        )
    else:
        monthly_costs = inputs.monthly_fixed_cost + to_fen(inputs.monthly_wage * inputs.staff_count)
        if o.lowest_cash < monthly_costs:
            found.append(
                f"最低现金 {o.lowest_cash} 元（第{o.lowest_cash_month}个月）不足一个月的固定支出 {monthly_costs} 元，"
                "抗风险能力弱"
            )
    if o.break_even_month is None:
        found.append("模拟期内每个月经营均亏损，未达到盈亏平衡")
    if o.payback_month is None and inputs.initial_investment > 0:
        found.append("模拟期内未能收回开办投入")
    remaining = o.months[-1].loan_balance
    if remaining > 0:
        found.append(f"模拟期结束时贷款尚余 {remaining} 元未还，请确认到期还款来源")
    return found


def stressed(inputs: SimulationInputs, factor: Decimal = STRESS_SALES_FACTOR) -> SimulationInputs:
    """The same business with sales volume scaled by ``factor`` (0.8: sales 20% lower)."""
    return replace(inputs, sales_factor=inputs.sales_factor * factor)


def chart_data(base: Outcome, stress: Outcome) -> dict[str, list[str] | list[int]]:
    """The series the page's ECharts chart draws: closing cash per month, normal and stressed, and profit."""
    return {
        "months": [r.month for r in base.months],
        "cash": [str(r.closing) for r in base.months],
        "stress_cash": [str(r.closing) for r in stress.months],
        "profit": [str(r.profit) for r in base.months],
    }


def validate_seasonality(values: Sequence[int]) -> bool:
    return len(values) == 12 and all(0 <= v <= 300 for v in values)
