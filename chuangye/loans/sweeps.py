"""The daily sweep: interest recognised as instalments fall due, repayment reminders before a due date, and arrears
notices as a loan enters each delinquency bucket. Idempotent: running it twice (or on two workers) recognises each
instalment once and sends each notice once (dedupe keys)."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from chuangye.inbox.actions import notify
from chuangye.loans import ledger
from chuangye.loans.models import Loan, ScheduleRow
from chuangye.loans.servicing import accrue, bucket_of, days_past_due

REMIND_DAYS = 7


@dataclass(frozen=True)
class SweepResult:
    accrued_loans: int
    reminders: int
    arrears_notices: int


def loans_daily(*, on: dt.date) -> SweepResult:
    accrued = 0
    due = Loan.objects.filter(
        state=Loan.State.ACTIVE, schedule__due__lte=on, schedule__interest_accrued=False
    ).distinct()
    for loan in due.order_by("pk"):
        with transaction.atomic():
            _, (locked,) = ledger.lock(loans=[loan])
            if locked.state == Loan.State.ACTIVE and accrue(locked, up_to=on):
                accrued += 1
    return SweepResult(accrued, _remind(on), _arrears(on))


def _remind(on: dt.date) -> int:
    sent = 0
    rows = ScheduleRow.objects.filter(
        loan__state=Loan.State.ACTIVE, due__gt=on, due__lte=on + dt.timedelta(days=REMIND_DAYS)
    ).select_related("loan__person__user")
    for row in rows:
        user = row.loan.person.user if row.loan.person else None
        amount = row.unpaid_principal + row.unpaid_interest
        if user is None or amount <= 0:
            continue
        message = notify(
            user,
            f"还款提醒：{row.due:%m月%d日}应还 {amount:,.2f} 元",
            f"贷款 {row.loan.number} 第{row.number}期，请按时还款，逾期将不能享受贴息。",
            link=f"/me/loans/{row.loan_id}/",
            sms=True,
            dedupe_key=f"loan-due:{row.pk}",
        )
        sent += message is not None
    return sent


def _arrears(on: dt.date) -> int:
    sent = 0
    for loan in Loan.objects.filter(state=Loan.State.ACTIVE, next_unpaid_due__lt=on).select_related(
        "person__user", "bank"
    ):
        code, label = bucket_of(days_past_due(loan, on))
        user = loan.person.user if loan.person else None
        message = notify(
            user,
            f"贷款逾期：{label}",
            f"贷款 {loan.number} 自 {loan.next_unpaid_due:%Y年%m月%d日} 起有到期未还本息，请尽快还款。",
            link=f"/me/loans/{loan.pk}/",
            sms=True,
            dedupe_key=f"loan-arrears:{loan.pk}:{loan.next_unpaid_due}:{code}",
        )
        sent += message is not None
        if code == "over_90":
            for staff in loan.bank.users.filter(is_active=True):
                notify(
                    staff,
                    f"贷款 {loan.number} 逾期超过90天",
                    "可向担保基金申请代偿。",
                    link=f"/workbench/loans/{loan.pk}/",
                    dedupe_key=f"loan-over-90:{loan.pk}:{loan.next_unpaid_due}:{staff.pk}",
                )
    return sent
