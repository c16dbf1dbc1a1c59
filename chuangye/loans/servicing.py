"""Keeping a loan's schedule and the ledger in step: storing schedules, recognising interest as it falls due,
applying repayments to instalments oldest first, splitting a period on a prepayment, and arrears.

Invariant the functions rely on: payments are applied only to instalments due on or before the payment day, and
payment days never go backwards, so every instalment due after the latest payment is untouched and may be
regenerated (after a prepayment or an extension). Callers hold the loan's row lock.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q

from chuangye.core.money import ZERO
from chuangye.loans import ledger
from chuangye.loans.models import AccountKind, LedgerTransaction, Loan, ScheduleRow
from chuangye.loans.schedule import Instalment, build_rows, period_interest

BUCKETS = (
    ("current", "正常", 0, 0),
    ("1_30", "逾期1–30天", 1, 30),
    ("31_60", "逾期31–60天", 31, 60),
    ("61_90", "逾期61–90天", 61, 90),
    ("over_90", "逾期90天以上", 91, 10**6),
)


def store_rows(loan: Loan, rows: Iterable[Instalment]) -> None:
    ScheduleRow.objects.bulk_create(
        ScheduleRow(
            loan=loan,
            number=r.number,
            period_start=r.period_start,
            due=r.due,
            days=r.days,
            opening_balance=r.balance_after + r.principal,
            principal=r.principal,
            interest=r.interest,
            in_extension=r.due > loan.original_maturity,
        )
        for r in rows
    )


def rows_from(loan: Loan, *, principal: Decimal, start: dt.date, first_number: int) -> list[Instalment]:
    return build_rows(
        principal=principal,
        annual_rate=loan.annual_rate,
        start=start,
        maturity=loan.maturity,
        method=loan.method,
        basis=loan.basis,
        frequency=loan.frequency,
        first_number=first_number,
    )


def accrue(loan: Loan, *, up_to: dt.date, actor: object = None) -> Decimal:
    """Recognise in the ledger the interest of every instalment due on or before ``up_to`` (once each)."""
    rows = loan.schedule.filter(due__lte=up_to, interest_accrued=False)
    # Summed in Decimal here rather than by the database (SQLite adds decimals as floating point).
    total = sum(rows.values_list("interest", flat=True), ZERO)
    if total:
        ledger.post(
            LedgerTransaction.Kind.ACCRUAL,
            on=up_to,
            loan=loan,
            lines=[
                (ledger.account(AccountKind.LOAN_INTEREST, loan=loan), total),
                (ledger.account(AccountKind.BANK_INCOME, bank=loan.bank), -total),
            ],
            memo=f"{loan.number} 到期利息入账",
            actor=actor,
        )
    rows.update(interest_accrued=True)
    return total


def due_unpaid(loan: Loan, on: dt.date) -> tuple[Decimal, Decimal]:
    """(principal, interest) due on or before ``on`` and not yet paid."""
    principal = interest = ZERO
    for row in loan.schedule.filter(due__lte=on).only("principal", "paid_principal", "interest", "paid_interest"):
        principal += row.unpaid_principal
        interest += row.unpaid_interest
    return principal, interest


def split_for_prepayment(loan: Loan, *, on: dt.date, prepaid: Decimal) -> None:
    """A prepayment of ``prepaid`` on ``on`` ends the current period that day: the broken period carries its
    interest for the actual days on the opening balance and the prepaid principal; the rest of the loan is
    rescheduled on the reduced balance to the same maturity."""
    current = loan.schedule.filter(due__gt=on).order_by("number").first()
    if current is None:
        raise ValueError("no period in progress")
    days = (on - current.period_start).days
    remaining = current.opening_balance - prepaid
    loan.schedule.filter(due__gt=on).delete()
    broken = Instalment(
        current.number,
        current.period_start,
        on,
        days,
        prepaid,
        period_interest(current.opening_balance, loan.annual_rate, days, loan.basis),
        remaining,
    )
    rest = rows_from(loan, principal=remaining, start=on, first_number=current.number + 1) if remaining else []
    store_rows(loan, [broken, *rest])


def apply_payment(loan: Loan, *, on: dt.date, principal: Decimal, interest: Decimal) -> None:
    """Apply a payment to instalments due on or before ``on``, oldest first: interest to interest, principal to
    principal. The caller has checked that the amounts do not exceed what is due."""
    changed = []
    for row in loan.schedule.filter(due__lte=on).filter(
        Q(paid_principal__lt=F("principal")) | Q(paid_interest__lt=F("interest"))
    ):
        take_i = min(interest, row.unpaid_interest)
        take_p = min(principal, row.unpaid_principal)
        interest, principal = interest - take_i, principal - take_p
        row.paid_interest += take_i
        row.paid_principal += take_p
        if row.paid_interest == row.interest and row.interest_settled_on is None:
            row.interest_settled_on = on
        if row.paid_principal == row.principal and row.principal_settled_on is None:
            row.principal_settled_on = on
        changed.append(row)
    fields = ["paid_interest", "paid_principal", "interest_settled_on", "principal_settled_on"]
    ScheduleRow.objects.bulk_update(changed, fields)


def refresh_next_unpaid_due(loan: Loan) -> None:
    """Record the oldest instalment not yet fully paid: arrears and buckets are read from it."""
    first = (
        loan.schedule.filter(Q(paid_principal__lt=F("principal")) | Q(paid_interest__lt=F("interest")))
        .order_by("number")
        .values_list("due", flat=True)
        .first()
    )
    loan.next_unpaid_due = first
    Loan.objects.filter(pk=loan.pk).update(next_unpaid_due=first)


def days_past_due(loan: Loan, on: dt.date) -> int:
    if loan.state != Loan.State.ACTIVE or loan.next_unpaid_due is None or loan.next_unpaid_due >= on:
        return 0
    return (on - loan.next_unpaid_due).days


def bucket_of(days: int) -> tuple[str, str]:
    for code, label, low, high in BUCKETS:
        if low <= days <= high:
            return code, label
    return BUCKETS[-1][0], BUCKETS[-1][1]


@dataclass(frozen=True)
class Balances:
    principal: Decimal
    interest: Decimal
    recovery: Decimal

    @property
    def owed_to_bank(self) -> Decimal:
        return self.principal + self.interest


def balances(loan: Loan) -> Balances:
    found = dict(loan.accounts.values_list("kind", "balance"))
    return Balances(
        principal=found.get(AccountKind.LOAN_PRINCIPAL, ZERO),
        interest=found.get(AccountKind.LOAN_INTEREST, ZERO),
        recovery=found.get(AccountKind.LOAN_RECOVERY, ZERO),
    )
