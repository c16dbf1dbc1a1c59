"""The products catalogue: banks publish, "products that fit me" by key group, city and first loan, rates as
today's LPR plus the spread range; financing costs per bank before and after the subsidy."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.finance.products import financing_cost, product_create, products_for_person
from chuangye.loans.actions import loan_repay
from chuangye.loans.models import Loan
from chuangye.loans.subsidy import subsidy_claim_file, subsidy_claim_review
from chuangye.loans.testing import apply, approve, certify, disburse, make_guarantor
from chuangye.loans.tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


def product(bank_user, **overrides):
    data = {
        "name": "青创贷",
        "category": "credit",
        "borrower": "person",
        "lpr_term": "1y",
        "spread_min": "0.003",
        "spread_max": "0.015",
        "amount_min": "10000",
        "amount_max": "300000",
        "term_min_months": "6",
        "term_max_months": "36",
        "target_groups": ["graduate"],
        "collateral_free": True,
        **overrides,
    }
    return product_create(actor=bank_user, data=data)


def test_products_that_fit_a_graduate(li_xiaoyu, zhao_jianguo, huang_lei, wu_ting):
    certify(li_xiaoyu.person)
    product(huang_lei)
    product(huang_lei, name="返乡创业贷", target_groups=["returning_migrant"])
    product(wu_ting, name="首贷通", category="first_loan", target_groups=[], first_loan_only=True, spread_min="0")
    product(huang_lei, name="小微成长贷", borrower="business", target_groups=[])
    with at(2025, 7, 1):
        found = products_for_person(li_xiaoyu.person, on=D(2025, 7, 1))
    assert [(m.product.name, m.rate_low, m.rate_high) for m in found] == [
        ("首贷通", Decimal("0.03"), Decimal("0.045")),  # LPR 3.00 % on 2025-07-01
        ("青创贷", Decimal("0.033"), Decimal("0.045")),
    ]
    assert "面向高校毕业生" in found[1].why and "免抵押" in found[1].why
    assert [m.product.name for m in products_for_person(zhao_jianguo.person, on=D(2025, 7, 1))] == ["首贷通"]
    with at(2025, 7, 1):
        page = sign_in(Client(), li_xiaoyu).get("/me/finance/products/").content.decode()
    assert "青创贷" in page and "3.3%～4.5%" in page and "返乡创业贷" not in page


def test_bad_products_are_refused_naming_the_field(huang_lei):
    with pytest.raises(FieldValueError) as refused:
        product(huang_lei, spread_max="0.001")
    assert refused.value.field_name == "spread_max"
    with pytest.raises(FieldValueError) as refused:
        product(huang_lei, target_groups=["aliens"])
    assert refused.value.field_name == "target_groups"


def test_only_banks_publish(wang_fang):
    with pytest.raises(DomainError):
        product(wang_fang)


def test_financing_cost_per_bank_before_and_after_the_subsidy(li_xiaoyu, wang_fang, huang_lei):
    guarantor = make_guarantor()
    certify(li_xiaoyu.person)
    with at(2025, 6, 3):
        case = approve(apply(li_xiaoyu, huang_lei), wang_fang, guarantor, huang_lei)
    with at(2025, 6, 10):
        loan = disburse(case, huang_lei, spread="0.005")
    with at(2025, 6, 20):
        loan_repay(actor=huang_lei, loan=loan, paid_on=D(2025, 6, 20), principal="0", interest="194.44")
    with at(2025, 7, 2):
        (claim,) = subsidy_claim_file(actor=huang_lei, year=2025, quarter=2)
        subsidy_claim_review(actor=wang_fang, claim=claim, approve=True)
    (row,) = financing_cost(Loan.objects.all())
    assert (row.loans, row.principal, row.average_rate, row.average_spread) == (
        1,
        Decimal("200000.00"),
        Decimal("0.035"),
        Decimal("0.005"),
    )
    assert (row.interest_paid, row.subsidy) == (Decimal("194.44"), Decimal("97.22"))
    assert row.borrower_rate == Decimal("0.035") * Decimal("97.22") / Decimal("194.44")
    assert "3.5%" in sign_in(Client(), wang_fang).get("/workbench/finance/cost/").content.decode()
