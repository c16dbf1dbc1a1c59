"""展期: once, at most 12 months, approved by the bank, the guarantee institution and the bureau; the schedule is
regenerated to the new maturity and its extension periods earn no subsidy unless the region says otherwise."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.cases.actions import case_transition
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.loans.actions import loan_repay
from chuangye.loans.extensions import extension_apply
from chuangye.loans.models import LoanParameterOverride
from chuangye.loans.subsidy import subsidy_claim_file
from chuangye.loans.testing import apply, approve, disburse
from chuangye.loans.tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def loan(graduate_li, wang_fang, xu_tao, huang_lei):
    """200,000 at 3.00 % from 2025-06-10 for 12 months, interest quarterly, principal at maturity 2026-06-10."""
    with at(2025, 6, 3):
        case = approve(apply(graduate_li, huang_lei, term_months="12"), wang_fang, xu_tao, huang_lei)
    with at(2025, 6, 10):
        return disburse(case, huang_lei, term_months="12")


def extend(loan, citizen, officer, guarantor, bank_user, months="6"):
    case = extension_apply(applicant=citizen, loan=loan, months=months, reason="门店装修停业三个月，临时资金周转困难")
    case = case_transition(case=case, action="bank_approve", actor=bank_user)
    case = case_transition(case=case, action="guarantor_approve", actor=guarantor)
    return case_transition(case=case, action="approve", actor=officer)


def test_an_approved_extension_regenerates_the_schedule(loan, graduate_li, wang_fang, xu_tao, huang_lei):
    with at(2026, 2, 1):
        case = extend(loan, graduate_li, wang_fang, xu_tao, huang_lei)
    assert case.state == "approved"
    loan.refresh_from_db()
    assert (loan.maturity, loan.original_maturity, loan.extended_months) == (D(2026, 12, 10), D(2026, 6, 10), 6)
    rows = list(loan.schedule.all())
    # Periods up to 2025-12-20 stand; from 2025-12-20 the schedule runs to the new maturity.
    assert [r.due for r in rows] == [
        D(2025, 6, 20),
        D(2025, 9, 20),
        D(2025, 12, 20),
        D(2026, 3, 20),
        D(2026, 6, 20),
        D(2026, 9, 20),
        D(2026, 12, 10),
    ]
    assert [r.in_extension for r in rows] == [False] * 4 + [True] * 3
    assert sum(r.principal for r in rows) == Decimal("200000.00") and rows[-1].principal == Decimal("200000.00")


def test_extension_is_once_and_within_twelve_months(loan, graduate_li, wang_fang, xu_tao, huang_lei):
    with at(2026, 2, 1):
        with pytest.raises(FieldValueError) as refused:
            extension_apply(applicant=graduate_li, loan=loan, months="13", reason="临时资金周转困难")
        assert "81号" in refused.value.message
        with pytest.raises(DomainError) as refused:
            extension_apply(applicant=wang_fang, loan=loan, months="6", reason="临时资金周转困难")
        assert refused.value.status == 403
        extend(loan, graduate_li, wang_fang, xu_tao, huang_lei)
        with pytest.raises(ConflictError) as refused:
            extension_apply(applicant=graduate_li, loan=loan, months="3", reason="再次申请展期")
    assert "展期只能办理一次" in refused.value.message


def test_extension_periods_earn_no_subsidy_unless_the_region_says_so(
    loan, graduate_li, wang_fang, xu_tao, huang_lei, yang_fan
):
    with at(2026, 2, 1):
        extend(loan, graduate_li, wang_fang, xu_tao, huang_lei)
    for day, interest in ((D(2025, 6, 20), "166.67"), (D(2025, 9, 20), "1533.33"), (D(2025, 12, 20), "1516.67")):
        with at(day.year, day.month, day.day):
            loan_repay(actor=huang_lei, loan=loan, paid_on=day, principal="0", interest=interest)
    with at(2026, 3, 20):
        loan_repay(actor=huang_lei, loan=loan, paid_on=D(2026, 3, 20), principal="0", interest="1500.00")
    with at(2026, 6, 20):
        loan_repay(actor=huang_lei, loan=loan, paid_on=D(2026, 6, 20), principal="0", interest="1533.33")
    with at(2026, 7, 2):
        (q2,) = subsidy_claim_file(actor=huang_lei, year=2026, quarter=2)
    (line,) = q2.lines.all()
    assert (line.eligible, line.amount, line.reason) == (False, Decimal("0.00"), "展期期间不予贴息")
    # A region that subsidises extended loans says so with a dated parameter.
    LoanParameterOverride.objects.create(
        name="loan.extension.subsidised",
        region_code="510100",
        value="true",
        effective_from=D(2026, 1, 1),
        document_number="成人社发〔2026〕2号",
        created_by=yang_fan,
    )
    with at(2026, 9, 20):
        loan_repay(actor=huang_lei, loan=loan, paid_on=D(2026, 9, 20), principal="0", interest="1533.33")
    with at(2026, 10, 8):
        (q3,) = subsidy_claim_file(actor=huang_lei, year=2026, quarter=3)
    assert q3.lines.get().amount == Decimal("766.67")  # 200,000 × 3% × ½ × 92 / 360


def test_the_borrower_applies_on_the_loan_page_and_partners_decide_there(loan, graduate_li, xu_tao, huang_lei):
    with at(2026, 2, 1):
        citizen = sign_in(Client(), graduate_li)
        made = citizen.post(f"/me/loans/{loan.pk}/", {"months": "6", "reason": "临时资金周转困难"})
        assert made.status_code == 302
        bank = sign_in(Client(), huang_lei)
        page = bank.get(f"/workbench/loans/{loan.pk}/").content.decode()
        assert "经办银行同意展期" in page
        case = loan.extensions.get().case
        bank.post(f"/workbench/loans/{loan.pk}/", {"action": "extension:bank_approve", "case": case.pk})
        case.refresh_from_db()
    assert case.state == "guarantor_review"


def test_a_closed_loan_gets_no_new_schedule(loan, graduate_li, huang_lei):
    with at(2025, 6, 20):
        loan_repay(actor=huang_lei, loan=loan, paid_on=D(2025, 6, 20), principal="200000.00", interest="166.67")
        with pytest.raises(ConflictError) as refused:
            extension_apply(applicant=graduate_li, loan=loan, months="6", reason="临时资金周转困难")
    assert "贷款已结清，不能展期" in refused.value.message
