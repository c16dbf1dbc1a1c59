"""Repayments the bank reports: applied oldest first, prepayment ends the period and reschedules, nothing more than
is owed, arrears in delinquency buckets, and a closed loan takes no more money."""

import datetime as dt
from decimal import Decimal

import pytest

from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.loans import ledger
from chuangye.loans.actions import loan_repay
from chuangye.loans.models import AccountKind, Loan
from chuangye.loans.selectors import loan_list, portfolio
from chuangye.loans.servicing import balances, days_past_due
from chuangye.loans.testing import apply, approve, disburse
from chuangye.loans.tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def loan(graduate_li, wang_fang, xu_tao, huang_lei):
    """李晓雨's 200,000 at 3.00 % from 2025-06-10 for 24 months, interest quarterly, principal at maturity."""
    with at(2025, 6, 3):
        case = approve(apply(graduate_li, huang_lei), wang_fang, xu_tao, huang_lei)
    with at(2025, 6, 10):
        return disburse(case, huang_lei)


def repay(loan, bank_user, on, principal="0", interest="0"):
    with at(on.year, on.month, on.day):
        return loan_repay(actor=bank_user, loan=loan, paid_on=on, principal=principal, interest=interest)


def test_interest_paid_on_its_due_date_keeps_the_loan_current(loan, huang_lei):
    repay(loan, huang_lei, D(2025, 6, 20), interest="166.67")
    loan.refresh_from_db()
    assert loan.next_unpaid_due == D(2025, 9, 20) and days_past_due(loan, D(2025, 9, 20)) == 0
    first = loan.schedule.get(number=1)
    assert first.paid_interest == Decimal("166.67") and first.interest_settled_on == D(2025, 6, 20)
    assert balances(loan).interest == 0
    assert ledger.balance(AccountKind.BANK_INCOME, bank=loan.bank) == Decimal("166.67")
    assert ledger.ledger_problems() == []


def test_nothing_more_than_is_owed_is_accepted(loan, huang_lei):
    with pytest.raises(FieldValueError) as refused:
        repay(loan, huang_lei, D(2025, 6, 20), interest="166.68")
    assert "超过应收利息 166.67 元" in refused.value.message and "不得超过未还金额" in refused.value.message
    with pytest.raises(FieldValueError) as refused:
        repay(loan, huang_lei, D(2025, 6, 20), principal="200000.01", interest="166.67")
    assert "超过未还本金 200,000.00 元" in refused.value.message
    with pytest.raises(FieldValueError):
        repay(loan, huang_lei, D(2025, 6, 20), principal="-1")
    assert not loan.repayments.exists()


def test_arrears_fall_into_delinquency_buckets(loan, huang_lei, wang_fang):
    loan.refresh_from_db()
    assert [days_past_due(loan, d) for d in (D(2025, 6, 20), D(2025, 6, 21), D(2025, 7, 21), D(2025, 9, 19))] == [
        0,
        1,
        31,
        91,
    ]
    on = D(2025, 8, 1)  # 42 days after the unpaid 2025-06-20 interest
    assert [(b.code, b.count) for b in portfolio(user=wang_fang, on=on) if b.count] == [("31_60", 1)]
    assert [ln.pk for ln in loan_list(user=huang_lei, on=on, bucket="31_60")] == [loan.pk]
    # Paying the oldest instalment late brings the loan current again.
    repay(loan, huang_lei, on, interest="166.67")
    loan.refresh_from_db()
    assert days_past_due(loan, on) == 0 and loan.schedule.get(number=1).interest_settled_on == on


def test_a_prepayment_ends_the_period_and_reschedules_the_rest(loan, huang_lei):
    repay(loan, huang_lei, D(2025, 6, 20), interest="166.67")
    # On 2025-08-20 she repays 50,000 early with the interest for the 61 days since 2025-06-20.
    broken_interest = Decimal("1016.67")  # 200,000 × 3% × 61 / 360 = 1,016.666… → 1,016.67
    repay(loan, huang_lei, D(2025, 8, 20), principal="50000.00", interest=str(broken_interest))
    rows = list(loan.schedule.all())
    assert (rows[1].due, rows[1].days, rows[1].principal, rows[1].interest) == (
        D(2025, 8, 20),
        61,
        Decimal("50000.00"),
        broken_interest,
    )
    assert rows[2].period_start == D(2025, 8, 20) and rows[2].opening_balance == Decimal("150000.00")
    assert rows[2].interest == Decimal("387.50")  # 150,000 × 3% × 31 / 360
    assert sum(r.principal for r in rows) == Decimal("200000.00") and rows[-1].due == loan.maturity
    assert balances(loan).principal == Decimal("150000.00") and ledger.ledger_problems() == []


def test_early_settlement_closes_the_loan_and_a_closed_loan_takes_nothing(loan, huang_lei):
    repay(loan, huang_lei, D(2025, 6, 20), interest="166.67")
    repay(loan, huang_lei, D(2025, 7, 20), principal="200000.00", interest="500.00")  # 30 days' interest
    loan.refresh_from_db()
    assert loan.state == Loan.State.CLOSED and loan.closed_on == D(2025, 7, 20)
    assert loan.next_unpaid_due is None and loan.schedule.count() == 2
    with pytest.raises(ConflictError) as refused:
        repay(loan, huang_lei, D(2025, 7, 21), interest="1.00")
    assert "贷款已结清" in refused.value.message


def test_a_prepayment_must_clear_what_is_due_first(loan, huang_lei):
    with pytest.raises(FieldValueError) as refused:
        repay(loan, huang_lei, D(2025, 7, 1), principal="1000.00")
    assert "提前还款须同时结清到期利息" in refused.value.message


def test_repayments_are_reported_in_date_order_by_the_loans_own_bank(loan, huang_lei, wu_ting):
    repay(loan, huang_lei, D(2025, 6, 20), interest="100.00")
    with pytest.raises(FieldValueError) as refused:
        repay(loan, huang_lei, D(2025, 6, 19), interest="10.00")
    assert "不能早于上一笔还款日" in refused.value.message
    with pytest.raises(DomainError) as refused:
        repay(loan, wu_ting, D(2025, 6, 20), interest="66.67")
    assert refused.value.status == 403


def test_the_daily_sweep_recognises_interest_and_reminds_once(loan, graduate_li, huang_lei):
    from django.core.management import call_command

    from chuangye.inbox.models import Message

    with at(2025, 6, 15):
        call_command("loans_daily")
        call_command("loans_daily")
    assert Message.objects.filter(recipient=graduate_li, title__startswith="还款提醒").count() == 1
    assert balances(loan).interest == 0  # nothing due yet
    with at(2025, 6, 21):
        call_command("loans_daily")
        call_command("loans_daily")
    assert balances(loan).interest == Decimal("166.67") and ledger.ledger_problems() == []
    assert Message.objects.filter(recipient=graduate_li, title="贷款逾期：逾期1–30天").count() == 1
    with at(2025, 9, 20):
        call_command("loans_daily")
    assert Message.objects.filter(recipient=huang_lei, title__contains="逾期超过90天").count() == 1
