"""Interest subsidy, 先付后贴: golden amounts from ``loan.interest_subsidy`` per period, nothing for late or extended
periods, one claim per quarter, the bureau's review and a two-person payment batch, reconciliation to the 分 and
the bank's Excel statement read back."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from chuangye.accounts.testing import make_user
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.loans import ledger
from chuangye.loans.actions import loan_repay
from chuangye.loans.excel import statement_workbook
from chuangye.loans.models import AccountKind, SubsidyClaim
from chuangye.loans.subsidy import (
    subsidy_batch_create,
    subsidy_batch_pay,
    subsidy_claim_file,
    subsidy_claim_review,
    subsidy_problems,
)
from chuangye.loans.testing import apply, approve, certify, disburse
from chuangye.loans.tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def loans(graduate_li, zhao_jianguo, wang_fang, xu_tao, huang_lei):
    """李晓雨's 200,000 at 3.00 % and 赵建国's 100,000 at 3.50 %, both from 2025-06-10, interest quarterly."""
    certify(zhao_jianguo.person, "returning_migrant", D(2023, 1, 1))
    with at(2025, 6, 3):
        li = approve(apply(graduate_li, huang_lei), wang_fang, xu_tao, huang_lei)
        zhao = approve(apply(zhao_jianguo, huang_lei, requested_amount="100000.00"), wang_fang, xu_tao, huang_lei)
    with at(2025, 6, 10):
        return disburse(li, huang_lei), disburse(zhao, huang_lei, principal="100000.00", spread="0.005")


def pay(loan, bank_user, on, interest, principal="0"):
    with at(on.year, on.month, on.day):
        loan_repay(actor=bank_user, loan=loan, paid_on=on, principal=principal, interest=interest)


def test_golden_subsidy_amounts_and_the_periods_that_earn_nothing(loans, huang_lei):
    li, zhao = loans
    pay(li, huang_lei, D(2025, 6, 20), "166.67")  # on time
    pay(zhao, huang_lei, D(2025, 6, 25), "97.22")  # five days late: 100,000 × 3.5% × 10 / 360 = 97.22
    with at(2025, 7, 5):
        (claim,) = subsidy_claim_file(actor=huang_lei, year=2025, quarter=2)
    lines = {line.loan_id: line for line in claim.lines.all()}
    # Contract after 2023-10-01: the state pays half the actual rate. 200,000 × 3% × ½ × 10 / 360 = 83.333… → 83.33
    assert (lines[li.pk].amount, lines[li.pk].eligible, lines[li.pk].days) == (Decimal("83.33"), True, 10)
    assert (lines[zhao.pk].amount, lines[zhao.pk].eligible) == (Decimal("0.00"), False)
    assert lines[zhao.pk].reason == "逾期还息的计息期不予贴息"
    assert (claim.total, claim.interest_total, claim.line_count) == (Decimal("83.33"), Decimal("263.89"), 2)
    assert any("财金〔2023〕75号" in p["source"] for p in claim.parameters)


def test_a_quarter_is_claimed_once_and_only_after_it_ends(loans, huang_lei, wu_ting):
    li, _ = loans
    pay(li, huang_lei, D(2025, 6, 20), "166.67")
    with at(2025, 6, 30), pytest.raises(FieldValueError) as refused:
        subsidy_claim_file(actor=huang_lei, year=2025, quarter=2)
    assert "尚未结束" in refused.value.message
    with at(2025, 7, 1):
        subsidy_claim_file(actor=huang_lei, year=2025, quarter=2)
        with pytest.raises(ConflictError) as refused:
            subsidy_claim_file(actor=huang_lei, year=2025, quarter=2)
        assert "已申报贴息，不能重复申报" in refused.value.message
        with pytest.raises(DomainError) as refused:
            subsidy_claim_file(actor=wu_ting, year=2025, quarter=2)  # the other bank has nothing to claim
        assert refused.value.code == "nothing_to_claim"


def test_review_batch_and_payment_reconcile_to_the_fen(loans, huang_lei, wang_fang):
    li, zhao = loans
    liu_min = make_user("liumin", "supervisor", region_code="510104", real_name="刘敏")
    for loan, interest in ((li, "166.67"), (zhao, "97.22")):
        pay(loan, huang_lei, D(2025, 6, 20), interest)
    for loan, interest in ((li, "1533.33"), (zhao, "894.44")):  # 92 days each
        pay(loan, huang_lei, D(2025, 9, 20), interest)
    with at(2025, 10, 8):
        (q2,) = subsidy_claim_file(actor=huang_lei, year=2025, quarter=2)
        (q3,) = subsidy_claim_file(actor=huang_lei, year=2025, quarter=3)
        # Q3: 200,000 × 3% × ½ × 92/360 = 766.666… → 766.67; 100,000 × 3.5% × ½ × 92/360 = 447.222… → 447.22
        assert q3.total == Decimal("1213.89") and q2.total == Decimal("83.33") + Decimal("48.61")
        with pytest.raises(FieldValueError):
            subsidy_claim_review(actor=wang_fang, claim=q2, approve=False)  # a refusal needs a reason
        for claim in (q2, q3):
            subsidy_claim_review(actor=wang_fang, claim=claim, approve=True)
        assert ledger.balance(AccountKind.SUBSIDY_PAYABLE, bank=li.bank, region_code="510104") == Decimal("1345.83")
        batch = subsidy_batch_create(actor=wang_fang, region_code="510104", claims=[q2, q3])
        assert batch.total == Decimal("1345.83") and subsidy_problems() == []
        with pytest.raises(DomainError) as refused:
            subsidy_batch_pay(actor=wang_fang, batch=batch)
        assert refused.value.status == 403  # an officer prepares, a supervisor approves
        subsidy_batch_pay(actor=liu_min, batch=batch)
    assert set(SubsidyClaim.objects.values_list("state", flat=True)) == {"paid"}
    assert ledger.balance(AccountKind.SUBSIDY_PAYABLE, bank=li.bank, region_code="510104") == 0
    assert ledger.balance(AccountKind.SUBSIDY_EXPENSE, region_code="510104") == Decimal("1345.83")
    assert ledger.balance(AccountKind.TREASURY, region_code="510104") == Decimal("1345.83")  # paid out
    assert subsidy_problems() == [] and ledger.ledger_problems() == []


def test_a_refused_claim_frees_its_periods_to_be_claimed_again(loans, huang_lei, wang_fang):
    li, _ = loans
    pay(li, huang_lei, D(2025, 6, 20), "166.67")
    with at(2025, 7, 2):
        (claim,) = subsidy_claim_file(actor=huang_lei, year=2025, quarter=2)
        subsidy_claim_review(actor=wang_fang, claim=claim, approve=False, note="请补充借款人付息凭证")
        (again,) = subsidy_claim_file(actor=huang_lei, year=2025, quarter=2)
    assert again.total == Decimal("83.33") and subsidy_problems() == []


def test_the_statement_reads_back_line_by_line(loans, huang_lei):
    li, zhao = loans
    pay(li, huang_lei, D(2025, 6, 20), "166.67")
    pay(zhao, huang_lei, D(2025, 6, 20), "97.22")
    with at(2025, 7, 3):
        (claim,) = subsidy_claim_file(actor=huang_lei, year=2025, quarter=2)
    sheet = load_workbook(io.BytesIO(statement_workbook(claim))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert "示例农村商业银行锦江支行 2025年第2季度" in rows[0][0]
    body = [r for r in rows[3:] if r[0] != "合计"]
    assert sorted((r[1], Decimal(str(r[8])).quantize(Decimal("0.01"))) for r in body) == [
        ("李晓雨", Decimal("83.33")),
        ("赵建国", Decimal("48.61")),  # 100,000 × 3.5% × ½ × 10 / 360 = 48.611… → 48.61
    ]
    total = next(r for r in rows if r[0] == "合计")
    assert Decimal(str(total[8])).quantize(Decimal("0.01")) == claim.total == Decimal("131.94")


def test_golden_half_fen_rounds_up(graduate_li, wang_fang, xu_tao, huang_lei):
    """299,000 at 3.50 % for the 90 days to 2026-03-20: 299,000 × 3.5 % × ½ × 90 / 360 = 1,308.125 → 1,308.13."""
    with at(2025, 6, 3):
        case = approve(apply(graduate_li, huang_lei, requested_amount="299000.00"), wang_fang, xu_tao, huang_lei)
    with at(2025, 6, 10):
        loan = disburse(case, huang_lei, principal="299000.00", spread="0.005")
    for row in loan.schedule.filter(due__lte=D(2026, 3, 20)):
        pay(loan, huang_lei, row.due, str(row.interest))
    with at(2026, 4, 1):
        (claim,) = subsidy_claim_file(actor=huang_lei, year=2026, quarter=1)
    (line,) = claim.lines.all()
    assert (line.days, line.interest_paid, line.amount) == (90, Decimal("2616.25"), Decimal("1308.13"))
