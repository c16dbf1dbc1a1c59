"""The bank records the contract and disbursement: golden schedules at the LPR on the contract date plus the spread,
the rate cap and term limits as parameters, and the guarantee fund's leverage limit."""

import datetime as dt
from decimal import Decimal

import pytest

from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.loans import ledger
from chuangye.loans.models import AccountKind, LoanParameterOverride
from chuangye.loans.testing import apply, approve, certify, disburse, make_guarantor
from chuangye.loans.tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def approved(graduate_li, wang_fang, xu_tao, huang_lei):
    with at(2025, 6, 3):
        return approve(apply(graduate_li, huang_lei), wang_fang, xu_tao, huang_lei)


def test_golden_schedule_at_the_lpr_on_the_contract_date(approved, huang_lei):
    with at(2025, 6, 10):
        loan = disburse(approved, huang_lei)
    # 1-year LPR on 2025-06-10 is 3.00 % (from 2025-05-20); no spread; interest quarterly on a 360-day basis.
    assert (loan.lpr_rate, loan.spread, loan.annual_rate) == (Decimal("0.03"), Decimal("0"), Decimal("0.03"))
    assert "LPR" in loan.lpr_source and loan.maturity == D(2027, 6, 10)
    rows = list(loan.schedule.all())
    assert [(r.due, r.days, r.interest) for r in rows] == [
        (D(2025, 6, 20), 10, Decimal("166.67")),  # 200,000 × 3% × 10 / 360 = 166.666… → 166.67
        (D(2025, 9, 20), 92, Decimal("1533.33")),
        (D(2025, 12, 20), 91, Decimal("1516.67")),
        (D(2026, 3, 20), 90, Decimal("1500.00")),
        (D(2026, 6, 20), 92, Decimal("1533.33")),
        (D(2026, 9, 20), 92, Decimal("1533.33")),
        (D(2026, 12, 20), 91, Decimal("1516.67")),
        (D(2027, 3, 20), 90, Decimal("1500.00")),
        (D(2027, 6, 10), 82, Decimal("1366.67")),
    ]
    assert sum(r.principal for r in rows) == Decimal("200000.00") and rows[-1].principal == Decimal("200000.00")
    assert ledger.balance(AccountKind.LOAN_PRINCIPAL, loan=loan) == Decimal("200000.00")
    assert ledger.balance(AccountKind.BANK_CASH, bank=loan.bank) == Decimal("200000.00") * -1
    assert ledger.ledger_problems() == []
    assert loan.next_unpaid_due == D(2025, 6, 20)


def test_golden_interest_on_a_365_basis(approved, huang_lei):
    with at(2025, 6, 10):
        loan = disburse(approved, huang_lei, basis="365")
    # 200,000 × 3% × 10 / 365 = 164.383… → 164.38; × 92 / 365 = 1,512.328… → 1,512.33
    assert [r.interest for r in loan.schedule.all()[:2]] == [Decimal("164.38"), Decimal("1512.33")]


def test_golden_equal_instalments_with_a_spread(approved, huang_lei):
    with at(2025, 6, 20):
        loan = disburse(
            approved,
            huang_lei,
            contract_date="2025-06-20",
            disbursed_on="2025-06-20",
            spread="0.5%",
            method="equal_instalment",
            frequency="monthly",
            term_months="12",
        )
    assert loan.annual_rate == Decimal("0.035")
    rows = list(loan.schedule.all())
    assert len(rows) == 12 and sum(r.principal for r in rows) == Decimal("200000.00")
    # Level payment 200,000 × r / (1 − (1 + r)^−12) with r = 3.5% / 12 = 16,984.33 (half-up); the last instalment
    # takes the remaining principal so the parts sum exactly.
    assert {r.principal + r.interest for r in rows[:-1]} == {Decimal("16984.33")}
    assert rows[-1].principal + rows[-1].interest == Decimal("16984.27")
    assert rows[-1].due == D(2026, 6, 20) and rows[-1].opening_balance == rows[-1].principal


@pytest.mark.parametrize(
    ("overrides", "field", "rule"),
    [
        ({"spread": "0.016"}, "spread", "超过利率上限：LPR 加点不超过 1.50%"),
        ({"term_months": "37"}, "term_months", "个人创业担保贷款期限上限 36 个月"),
        ({"principal": "200000.01"}, "principal", "超过可贷额度 200,000.00 元"),
        ({"contract_date": "2025-06-02"}, "contract_date", "应在审批通过日"),
        ({"disbursed_on": "2025-06-09"}, "disbursed_on", "应在合同签订日至今天之间"),
        ({"lpr_term": "5y", "term_months": "12"}, "lpr_term", "1年期以内贷款参考1年期 LPR"),
        ({"basis": "366"}, "basis", "应为以下之一"),
        ({"spread": 0.01}, "spread", "应为文本形式的小数"),
    ],
)
def test_terms_outside_the_parameters_are_refused_naming_the_rule(approved, huang_lei, overrides, field, rule):
    with at(2025, 6, 10), pytest.raises(FieldValueError) as refused:
        disburse(approved, huang_lei, **overrides)
    assert refused.value.field_name == field and rule in refused.value.message


def test_a_region_may_set_its_own_rate_cap(approved, huang_lei, yang_fan):
    LoanParameterOverride.objects.create(
        name="loan.rate_cap_spread",
        region_code="510100",
        value="0.025",
        effective_from=D(2025, 1, 1),
        document_number="成人社发〔2025〕1号",
        created_by=yang_fan,
    )
    with at(2025, 6, 10):
        loan = disburse(approved, huang_lei, spread="0.02")
    assert loan.annual_rate == Decimal("0.05")


def test_only_the_assigned_bank_disburses_once(approved, huang_lei, wu_ting):
    with at(2025, 6, 10):
        with pytest.raises(DomainError) as refused:
            disburse(approved, wu_ting)
        assert refused.value.status == 403
        disburse(approved, huang_lei)
        with pytest.raises(ConflictError):
            disburse(approved, huang_lei, contract_number="JK-OTHER")


def test_a_guarantee_beyond_the_funds_leverage_is_refused(graduate_li, zhao_jianguo, wang_fang, huang_lei, db):
    guarantor = make_guarantor("xutao2", deposit="60000.00")  # 60,000 × 5 = 300,000 of guarantees
    certify(zhao_jianguo.person, "returning_migrant", D(2023, 1, 1))
    with at(2025, 6, 3):
        first = approve(apply(graduate_li, huang_lei), wang_fang, guarantor, huang_lei)
        second = approve(apply(zhao_jianguo, huang_lei), wang_fang, guarantor, huang_lei)
    with at(2025, 6, 10):
        disburse(first, huang_lei)
        with pytest.raises(DomainError) as refused:
            disburse(second, huang_lei)
    assert refused.value.code == "leverage_exceeded"
    assert "放大倍数超限" in refused.value.message and "60,000.00 元 × 5 倍" in refused.value.message
    assert "超出 100,000.00 元" in refused.value.message
