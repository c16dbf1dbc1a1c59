"""The guarantee fund: deposits, its balance, leverage against the limit, repayment and compensation rates.

Leverage = outstanding guaranteed principal ÷ fund balance. The limit is a parameter: 5× by default, 10× when the
fund's loans repaid at least 90% of the principal that fell due last year (财金〔2020〕21号).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.http import HttpRequest

from chuangye.accounts.models import Role
from chuangye.core.audit import record_event
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.money import ZERO, parse_money
from chuangye.core.regions import in_scope
from chuangye.loans import ledger
from chuangye.loans.models import (
    AccountKind,
    CompensationClaim,
    GuaranteeFund,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Loan,
    ScheduleRow,
)
from chuangye.loans.params import loan_param


def outstanding_guaranteed(fund: GuaranteeFund) -> Decimal:
    """Principal still owed on the fund's loans that are being repaid (compensated loans are no longer guaranteed)."""
    total = LedgerAccount.objects.filter(
        kind=AccountKind.LOAN_PRINCIPAL, loan__fund=fund, loan__state=Loan.State.ACTIVE
    ).aggregate(total=Sum("balance"))["total"]
    return total or ZERO


def repayment_rate(fund: GuaranteeFund, year: int) -> Decimal | None:
    """Share of the principal that fell due in ``year`` on the fund's loans and was repaid by the year's end
    (None when nothing fell due)."""
    rows = ScheduleRow.objects.filter(loan__fund=fund, due__year=year, principal__gt=0)
    due = rows.aggregate(total=Sum("principal"))["total"] or ZERO
    if not due:
        return None
    repaid = rows.filter(principal_settled_on__lte=dt.date(year, 12, 31)).aggregate(total=Sum("principal"))["total"]
    return (repaid or ZERO) / due


def compensation_rate(fund: GuaranteeFund) -> Decimal | None:
    """Compensation paid ÷ principal ever guaranteed (代偿率)."""
    lent = Loan.objects.filter(fund=fund).aggregate(total=Sum("principal"))["total"] or ZERO
    if not lent:
        return None
    paid = CompensationClaim.objects.filter(loan__fund=fund, state=CompensationClaim.State.PAID)
    return (paid.aggregate(total=Sum("amount"))["total"] or ZERO) / lent


@dataclass(frozen=True)
class Leverage:
    balance: Decimal
    outstanding: Decimal
    multiple: int
    multiple_source: str
    last_year_rate: Decimal | None

    @property
    def capacity(self) -> Decimal:
        return self.balance * self.multiple

    @property
    def ratio(self) -> Decimal | None:
        return None if not self.balance else self.outstanding / self.balance

    @property
    def headroom(self) -> Decimal:
        return max(self.capacity - self.outstanding, ZERO)


def leverage(fund: GuaranteeFund, *, on: dt.date) -> Leverage:
    rate = repayment_rate(fund, on.year - 1)
    threshold = loan_param("loan.fund.raise_repayment_rate", on=on, region_code=fund.region_code)
    name = "loan.fund.leverage_raised" if rate is not None and rate >= threshold.value else "loan.fund.leverage"
    limit = loan_param(name, on=on, region_code=fund.region_code)
    return Leverage(
        balance=ledger.balance(AccountKind.FUND_CASH, fund=fund),
        outstanding=outstanding_guaranteed(fund),
        multiple=limit.value,
        multiple_source=f"{limit.label}：{limit.value}倍（{limit.source}）",
        last_year_rate=rate,
    )


def check_leverage(fund: GuaranteeFund, *, adding: Decimal, on: dt.date) -> None:
    """Refuse a new guarantee that would take the fund above its leverage limit, saying by how much."""
    state = leverage(fund, on=on)
    if state.outstanding + adding > state.capacity:
        raise DomainError(
            f"担保基金放大倍数超限：基金余额 {state.balance:,.2f} 元 × {state.multiple} 倍 = "
            f"{state.capacity:,.2f} 元，在保余额 {state.outstanding:,.2f} 元，本笔 {adding:,.2f} 元将超出 "
            f"{state.outstanding + adding - state.capacity:,.2f} 元。依据：{state.multiple_source}",
            code="leverage_exceeded",
        )


def _may_manage(actor: Any, fund: GuaranteeFund) -> bool:
    return actor.role in (Role.OFFICER, Role.SUPERVISOR) and in_scope(actor.region_code, fund.region_code)


@transaction.atomic
def fund_deposit(
    *, actor: Any, fund: GuaranteeFund, amount: object, on: dt.date, note: str, request: HttpRequest | None = None
) -> LedgerTransaction:
    """Public money paid into the fund by the bureau that covers the fund's whole area."""
    if not _may_manage(actor, fund):
        raise DomainError("只有基金所在地人社部门可以登记注资", code="forbidden", status=403)
    value = parse_money(amount, field="amount", label="注资金额", allow_zero=False)
    text = note.strip()
    if not 2 <= len(text) <= 200:
        raise FieldValueError("note", "资金来源说明", "请用2至200个字说明（如拨款文号）")
    ledger.lock(fund=fund)
    txn = ledger.post(
        LedgerTransaction.Kind.DEPOSIT,
        on=on,
        fund=fund,
        lines=[
            (ledger.account(AccountKind.FUND_CASH, fund=fund), value),
            (ledger.account(AccountKind.FUND_CAPITAL, fund=fund), -value),
        ],
        memo=text,
        actor=actor,
    )
    record_event(
        "loans.fund_deposit",
        actor=actor,
        object_type="loans.GuaranteeFund",
        object_id=fund.pk,
        region_code=fund.region_code,
        details={"amount": str(value), "note": text},
        request=request,
    )
    if txn is None:  # a positive amount always posts
        raise ValueError("deposit not posted")
    return txn


def fund_movements(fund: GuaranteeFund) -> QuerySet[LedgerEntry]:
    """The fund's cash movements, newest first: deposits, compensation paid, recoveries received."""
    return (
        LedgerEntry.objects.filter(account__kind=AccountKind.FUND_CASH, account__fund=fund)
        .select_related("transaction", "transaction__loan")
        .order_by("-transaction__occurred_on", "-id")
    )
