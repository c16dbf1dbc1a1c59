"""Default and the guarantee fund: compensation only beyond 90 days overdue, the fund's 80 % share, recoveries shared
back in proportion, write-off with a reason, deposits, leverage and the repayment rate that raises it."""

import datetime as dt
from decimal import Decimal

import pytest

from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.loans import ledger
from chuangye.loans.actions import loan_repay
from chuangye.loans.defaults import (
    compensation_claim_file,
    compensation_pay,
    compensation_refuse,
    loan_write_off,
    recovery_record,
    share_recovery,
)
from chuangye.loans.fund import compensation_rate, fund_deposit, leverage, repayment_rate
from chuangye.loans.models import AccountKind, GuaranteeFund, Loan
from chuangye.loans.servicing import balances
from chuangye.loans.testing import apply, approve, disburse, make_guarantor
from chuangye.loans.tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def loan(graduate_li, wang_fang, xu_tao, huang_lei):
    with at(2025, 6, 3):
        case = approve(apply(graduate_li, huang_lei), wang_fang, xu_tao, huang_lei)
    with at(2025, 6, 10):
        return disburse(case, huang_lei)


def fund_cash(fund):
    return ledger.balance(AccountKind.FUND_CASH, fund=fund)


def test_compensation_only_after_ninety_days_overdue(loan, huang_lei):
    # The first interest fell due on 2025-06-20 and was never paid.
    with at(2025, 9, 18), pytest.raises(DomainError) as refused:
        compensation_claim_file(actor=huang_lei, loan=loan)
    assert refused.value.code == "not_overdue_enough"
    assert "逾期 90 天，未超过 90 天，不能申请代偿" in refused.value.message


def test_the_fund_pays_its_share_then_shares_recoveries_and_writes_off(loan, huang_lei, xu_tao):
    fund = loan.fund
    with at(2025, 9, 19):
        claim = compensation_claim_file(actor=huang_lei, loan=loan)
        # 200,000 principal and 166.67 interest due; the fund's 80 %: 160,000.00 + 133.34 (133.336 → 133.34).
        assert (claim.days_overdue, claim.principal_part, claim.interest_part, claim.amount) == (
            91,
            Decimal("160000.00"),
            Decimal("133.34"),
            Decimal("160133.34"),
        )
        assert "广州" in claim.share_source
        compensation_pay(actor=xu_tao, claim=claim)
    loan.refresh_from_db()
    assert loan.state == Loan.State.COMPENSATED
    assert fund_cash(fund) == Decimal("1000000.00") - Decimal("160133.34")
    assert balances(loan) == balances(loan).__class__(Decimal("40000.00"), Decimal("33.33"), Decimal("160133.34"))
    with at(2025, 10, 10):
        recovery = recovery_record(actor=huang_lei, loan=loan, amount="10000.00", recovered_on="2025-10-10")
    assert (recovery.fund_part, recovery.bank_part) == (Decimal("8000.00"), Decimal("2000.00"))
    assert fund_cash(fund) == Decimal("1000000.00") - Decimal("152133.34")
    with at(2025, 12, 1):
        with pytest.raises(FieldValueError):
            loan_write_off(actor=xu_tao, loan=loan, reason="无")  # a reason is required
        write_off = loan_write_off(actor=xu_tao, loan=loan, reason="借款人失联，诉讼终结")
    assert (write_off.bank_amount, write_off.fund_amount) == (Decimal("38033.33"), Decimal("152133.34"))
    assert balances(loan) == balances(loan).__class__(Decimal("0"), Decimal("0"), Decimal("0"))
    assert ledger.balance(AccountKind.FUND_LOSS, fund=fund) == Decimal("152133.34")
    assert ledger.ledger_problems() == []
    assert compensation_rate(fund) == Decimal("160133.34") / Decimal("200000.00")


def test_recoveries_split_exactly_and_never_beyond_what_is_due():
    assert share_recovery(Decimal("0.01"), Decimal("0.8"), Decimal("1"), Decimal("1")) == (Decimal("0.01"), 0)
    assert share_recovery(Decimal("100.00"), Decimal("0.8"), Decimal("50.00"), Decimal("60.00")) == (
        Decimal("50.00"),
        Decimal("50.00"),
    )
    fund_part, bank_part = share_recovery(Decimal("333.33"), Decimal("0.8"), Decimal("1000"), Decimal("1000"))
    assert fund_part + bank_part == Decimal("333.33") and fund_part == Decimal("266.66")


def test_a_claim_the_fund_cannot_cover_is_refused_naming_the_balance(graduate_li, wang_fang, huang_lei):
    small = make_guarantor("xutao2", deposit="60000.00")
    with at(2025, 6, 3):
        case = approve(apply(graduate_li, huang_lei), wang_fang, small, huang_lei)
    with at(2025, 6, 10):
        loan = disburse(case, huang_lei)
    with at(2025, 9, 19):
        claim = compensation_claim_file(actor=huang_lei, loan=loan)
        with pytest.raises(DomainError) as refused:
            compensation_pay(actor=small, claim=claim)
        assert refused.value.code == "insufficient_balance" and "担保基金余额」余额不足" in refused.value.message
        with pytest.raises(ConflictError):
            compensation_claim_file(actor=huang_lei, loan=loan)  # one open claim at a time
        compensation_refuse(actor=small, claim=claim, note="基金余额不足，待财政补充后重新申请")
        compensation_claim_file(actor=huang_lei, loan=loan)
    assert fund_cash(loan.fund) == Decimal("60000.00")


def test_deposits_by_the_bureau_covering_the_fund(xu_tao, yang_fan, wang_fang):
    fund = GuaranteeFund.objects.get()
    with at(2025, 3, 1):
        with pytest.raises(DomainError) as refused:
            fund_deposit(actor=wang_fang, fund=fund, amount="100000.00", on=D(2025, 3, 1), note="区级拨款")
        assert refused.value.status == 403  # a county officer does not manage the city's fund
        fund_deposit(actor=yang_fan, fund=fund, amount="500000.00", on=D(2025, 3, 1), note="成财社〔2025〕8号")
    assert fund_cash(fund) == Decimal("1500000.00")
    state = leverage(fund, on=D(2025, 3, 1))
    assert (state.multiple, state.capacity, state.outstanding) == (5, Decimal("7500000.00"), 0)
    assert "全国口径待核" in state.multiple_source


def test_last_years_repayment_rate_raises_the_leverage_limit(loan, huang_lei):
    fund = loan.fund
    assert repayment_rate(fund, 2025) is None  # no principal fell due in 2025
    # Pretend the whole principal fell due in 2025 and was repaid early: a 100 % repayment rate.
    with at(2025, 6, 20):
        loan_repay(actor=huang_lei, loan=loan, paid_on="2025-06-20", principal="0", interest="166.67")
        loan_repay(actor=huang_lei, loan=loan, paid_on="2025-06-20", principal="200000.00", interest="0")
    assert repayment_rate(fund, 2025) == 1
    assert leverage(fund, on=D(2026, 1, 5)).multiple == 10
    assert leverage(fund, on=D(2025, 12, 31)).multiple == 5
