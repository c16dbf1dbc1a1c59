"""Repayment schedules for guaranteed loans, exact to the 分.

Pure functions: no database. Interest accrues on the outstanding principal for the actual days of each period on
the product's day-count basis (360 or 365); settlement is on the 20th of March, June, September and December
(quarterly) or of every month, and the last period ends at maturity (DOMAIN §11, PBOC 1999 practice). Every
amount passes through ``core.money.to_fen``; principal parts always sum exactly to the principal.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from chuangye.core.dates import add_months
from chuangye.core.money import ZERO, allocate, to_fen

METHODS = {
    "interest_only": "按期付息、到期还本",
    "equal_principal": "等额本金",
    "equal_instalment": "等额本息",
}
FREQUENCIES = {"quarterly": 3, "monthly": 1}
SETTLEMENT_DAY = 20


@dataclass(frozen=True)
class Terms:
    principal: Decimal
    annual_rate: Decimal  # a fraction: 0.0300 is 3.00%
    start: dt.date  # disbursement date; interest accrues from this day
    months: int
    method: str = "interest_only"
    basis: int = 360
    frequency: str = "quarterly"

    def __post_init__(self) -> None:
        if self.principal <= 0 or self.principal != to_fen(self.principal):
            raise ValueError("principal must be a positive whole number of 分")
        if not Decimal(0) <= self.annual_rate < Decimal(1):
            raise ValueError("annual rate must be a fraction between 0 and 1")
        if self.months < 1 or self.method not in METHODS or self.frequency not in FREQUENCIES:
            raise ValueError("unsupported term, method or frequency")
        if self.basis not in (360, 365):
            raise ValueError("day-count basis is 360 or 365")

    @property
    def maturity(self) -> dt.date:
        return add_months(self.start, self.months)


@dataclass(frozen=True)
class Instalment:
    number: int
    period_start: dt.date
    due: dt.date
    days: int
    principal: Decimal
    interest: Decimal
    balance_after: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest


def settlement_dates(start: dt.date, maturity: dt.date, frequency: str) -> list[dt.date]:
    """Settlement days strictly after ``start`` and before ``maturity``, then maturity itself."""
    step = FREQUENCIES[frequency]
    dates: list[dt.date] = []
    cursor = dt.date(start.year, start.month, SETTLEMENT_DAY)
    while True:
        if cursor > start and cursor < maturity and (step == 1 or cursor.month % 3 == 0):
            dates.append(cursor)
        if cursor >= maturity:
            break
        cursor = add_months(cursor, 1)
    return [*dates, maturity]


def period_interest(balance: Decimal, annual_rate: Decimal, days: int, basis: int) -> Decimal:
    """Simple interest for ``days`` on ``balance``, rounded half-up to the 分."""
    return to_fen(balance * annual_rate * days / basis)


def build_schedule(terms: Terms) -> list[Instalment]:
    return build_rows(
        principal=terms.principal,
        annual_rate=terms.annual_rate,
        start=terms.start,
        maturity=terms.maturity,
        method=terms.method,
        basis=terms.basis,
        frequency=terms.frequency,
    )


def build_rows(
    *,
    principal: Decimal,
    annual_rate: Decimal,
    start: dt.date,
    maturity: dt.date,
    method: str,
    basis: int,
    frequency: str,
    first_number: int = 1,
) -> list[Instalment]:
    """The schedule from ``start`` to an explicit ``maturity``: what ``build_schedule`` does for a new loan, and
    what regenerating the rest of a loan needs (after a prepayment or an extension), numbering from
    ``first_number``."""
    if maturity <= start:
        raise ValueError("maturity must be after the start")
    dues = settlement_dates(start, maturity, frequency)
    if method == "equal_instalment":
        return _annuity(principal, annual_rate, start, dues, frequency, first_number)
    if method == "equal_principal":
        parts = allocate(principal, [1] * len(dues))
    else:
        parts = [ZERO] * (len(dues) - 1) + [principal]
    rows, balance, previous = [], principal, start
    for number, (due, part) in enumerate(zip(dues, parts, strict=True), start=first_number):
        days = (due - previous).days
        interest = period_interest(balance, annual_rate, days, basis)
        balance -= part
        rows.append(Instalment(number, previous, due, days, part, interest, balance))
        previous = due
    return rows


def _annuity(
    principal: Decimal, annual_rate: Decimal, start: dt.date, dues: list[dt.date], frequency: str, first: int
) -> list[Instalment]:
    """等额本息 on the nominal periodic rate (annual ÷ 12 or ÷ 4), as banks quote it: a level payment rounded to
    the 分; the last instalment takes whatever principal remains, so the parts sum exactly to the principal."""
    n = len(dues)
    rate = annual_rate * FREQUENCIES[frequency] / 12
    level = principal / n if rate == 0 else principal * rate / (1 - (1 + rate) ** -n)
    payment = to_fen(level)
    rows, balance, previous = [], principal, start
    for index, due in enumerate(dues, start=1):
        interest = to_fen(balance * rate)
        part = balance if index == n else min(payment - interest, balance)
        balance -= part
        rows.append(Instalment(first + index - 1, previous, due, (due - previous).days, part, interest, balance))
        previous = due
    return rows
