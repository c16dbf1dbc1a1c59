"""Applying for a guaranteed loan: the policy engine's decision stored on the case, ineligible applications
refused naming the criteria, and the three tiers with their time limits, send-back and refusal."""

import datetime as dt
from decimal import Decimal

import pytest

from chuangye.cases.actions import case_transition
from chuangye.cases.deadlines import local_date
from chuangye.cases.models import Case
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.inbox.models import Message
from chuangye.loans.models import LoanApplication
from chuangye.loans.testing import apply, approve, certify, disburse
from chuangye.loans.tests.conftest import at
from chuangye.policies.models import Decision

pytestmark = pytest.mark.django_db


def test_the_engine_decision_is_stored_on_the_case(graduate_li, huang_lei, xu_tao):
    with at(2025, 6, 3):
        case = apply(graduate_li, huang_lei, requested_amount="350000.00")
    application = LoanApplication.objects.get(case=case)
    decision = Decision.objects.get(subject_type="cases.Case", subject_id=str(case.pk), policy_code="loan.individual")
    assert application.decision == decision and decision.eligible
    # Asked for 350,000: the ceiling in force (300,000 from 2023-10-01) is what may be lent.
    assert application.eligible_amount == Decimal("300000.00") == decision.amount
    assert {c["code"] for c in decision.criteria if c["passed"]} >= {"key_group", "loan_count", "no_overdue"}
    # Above 100,000 and no recognition: the counter-guarantee is not waived, and the reason says why.
    assert application.waiver_decision is not None and not application.counter_guarantee_waived
    assert application.fund.organisation == xu_tao.organisation and application.bank == huang_lei.organisation
    assert case.state == "submitted" and case.region_code == "510104"


def test_a_small_loan_waives_the_counter_guarantee(graduate_li, huang_lei, xu_tao):
    with at(2025, 6, 3):
        case = apply(graduate_li, huang_lei, requested_amount="100000.00")
    assert case.loan_application.counter_guarantee_waived


def test_an_ineligible_applicant_is_refused_naming_every_failing_criterion(zhao_jianguo, huang_lei, xu_tao):
    with at(2025, 6, 3), pytest.raises(DomainError) as refused:
        apply(zhao_jianguo, huang_lei, has_disallowed_debt="on")
    assert refused.value.code == "ineligible"
    assert "属于创业担保贷款扶持的重点群体" in refused.value.message
    assert {e.field for e in refused.value.errors} == {"criteria.key_group", "criteria.no_disallowed_debt"}
    assert not Case.objects.exists() and not Decision.objects.exists()


def test_bad_input_names_the_field_and_the_rule(graduate_li, huang_lei, wu_ting, xu_tao):
    cases = [
        ({"term_months": "37"}, "term_months", "贷款期限上限"),
        ({"requested_amount": "100.555"}, "requested_amount", "最多保留两位小数"),
        ({"bank": "999999"}, "bank", "请选择经办银行"),
        ({"purpose": "=cmd"}, "purpose", "请用2至200个字说明"),
    ]
    with at(2025, 6, 3):
        for overrides, field, text in cases:
            with pytest.raises(FieldValueError) as refused:
                apply(graduate_li, huang_lei, **overrides)
            assert refused.value.field_name == field and text in refused.value.message, overrides
        apply(graduate_li, huang_lei)
        with pytest.raises(ConflictError):
            apply(graduate_li, huang_lei)  # one open application at a time


def test_three_tiers_each_with_its_own_time_limit(graduate_li, wang_fang, xu_tao, huang_lei):
    with at(2025, 6, 3):  # a Tuesday
        case = apply(graduate_li, huang_lei)
        assert local_date(case.due_at) == dt.date(2025, 6, 6)  # bureau: 3 working days
    with at(2025, 6, 4):
        case = case_transition(case=case, action="qualify", actor=wang_fang)
        assert case.state == "guarantor_review" and local_date(case.due_at) == dt.date(2025, 6, 9)
        assert Message.objects.filter(recipient=xu_tao, title__contains=case.number).exists()
    with at(2025, 6, 5):
        case = case_transition(case=case, action="guarantor_approve", actor=xu_tao)
        assert case.state == "bank_review" and local_date(case.due_at) == dt.date(2025, 6, 12)  # bank: 5
        case = case_transition(case=case, action="bank_approve", actor=huang_lei)
    assert case.state == "approved" and case.decided_at is not None
    assert [e.action for e in case.events.all()] == ["submit", "qualify", "guarantor_approve", "bank_approve"]
    assert [e.actor for e in case.events.all()][1:] == [wang_fang, xu_tao, huang_lei]


def test_a_partner_tier_sends_back_and_the_case_returns_to_it(graduate_li, wang_fang, xu_tao, huang_lei):
    with at(2025, 6, 3):
        case = apply(graduate_li, huang_lei)
        case = case_transition(case=case, action="qualify", actor=wang_fang)
        case = case_transition(case=case, action="guarantor_approve", actor=xu_tao)
        with pytest.raises(FieldValueError):
            case_transition(case=case, action="bank_return", actor=huang_lei)  # a reason is required
        case = case_transition(case=case, action="bank_return", actor=huang_lei, comment="请补充近三个月流水")
        assert case.state == "bank_revision" and case.due_at is None  # the clock waits for the applicant
        assert Message.objects.filter(recipient=graduate_li, title__contains="退回修改").exists()
        case = case_transition(case=case, action="resubmit_bank", actor=graduate_li, comment="已上传流水")
        assert case.state == "bank_review" and case.due_at is not None
        case = case_transition(case=case, action="bank_refuse", actor=huang_lei, comment="经营流水不足以覆盖还款")
    assert case.state == "refused"
    assert Message.objects.filter(recipient=graduate_li, body__contains="经营流水不足").exists()


def test_only_the_assigned_bank_and_the_fund_act(graduate_li, wang_fang, xu_tao, huang_lei, wu_ting):
    with at(2025, 6, 3):
        case = apply(graduate_li, huang_lei)
        for actor, action in [(xu_tao, "qualify"), (huang_lei, "guarantor_approve"), (wang_fang, "bank_approve")]:
            with pytest.raises(DomainError) as refused:
                case_transition(case=case, action=action, actor=actor)
            assert refused.value.code in ("forbidden", "conflict"), (actor, action)
        case = case_transition(case=case, action="qualify", actor=wang_fang)
        case = case_transition(case=case, action="guarantor_approve", actor=xu_tao)
        with pytest.raises(DomainError) as refused:
            case_transition(case=case, action="bank_approve", actor=wu_ting)  # another bank
        assert refused.value.status == 403


def test_the_reloan_limit_and_overdue_history_are_checked(graduate_li, wang_fang, xu_tao, huang_lei):
    with at(2025, 6, 3):
        case = approve(apply(graduate_li, huang_lei), wang_fang, xu_tao, huang_lei)
    with at(2025, 6, 10):
        disburse(case, huang_lei, contract_date="2025-06-10", disbursed_on="2025-06-10")
    # The first interest (due 2025-06-20) is never paid: by August she is overdue and may not borrow again.
    with at(2025, 8, 1), pytest.raises(DomainError) as refused:
        apply(graduate_li, huang_lei)
    assert [e.field for e in refused.value.errors] == ["criteria.no_overdue"]


def test_a_returning_migrant_with_his_group_certified_is_eligible(zhao_jianguo, huang_lei, xu_tao):
    certify(zhao_jianguo.person, "returning_migrant", dt.date(2023, 1, 1))
    with at(2025, 6, 3):
        case = apply(zhao_jianguo, huang_lei, requested_amount="80000.00", term_months="36")
    assert case.loan_application.eligible_amount == Decimal("80000.00")


def _business(kind_name, founders, headcount=20):
    from chuangye.core.ids import build_credit_code, encode_org_body
    from chuangye.registry.models import Business, Founder

    business = Business.objects.create(
        credit_code=build_credit_code("9", "1", "510104", encode_org_body(Business.objects.count() + 1, prefix="LN")),
        name=kind_name,
        kind="enterprise",
        legal_representative=founders[0],
        registered_on=dt.date(2024, 9, 1),
        region_code="510104",
        industry="R",
        headcount=headcount,
    )
    for person in founders:
        Founder.objects.create(business=business, person=person, role="partner")
    return business


def test_a_partnership_loan_counts_every_partner(graduate_li, zhao_jianguo, huang_lei, xu_tao):
    from chuangye.loans.applications import loan_apply

    certify(zhao_jianguo.person, "returning_migrant", dt.date(2023, 1, 1))
    business = _business("晓雨建国合伙文创", [graduate_li.person, zhao_jianguo.person])
    data = {
        "requested_amount": "700000",
        "term_months": "36",
        "purpose": "合伙开设文创工坊",
        "bank": huang_lei.organisation_id,
    }
    with at(2025, 6, 3):
        case = loan_apply(applicant=graduate_li, kind="partnership", data=data, business=business)
    # 2 partners × 300,000 × 110 % = 660,000, within the enterprise ceiling of 4,000,000.
    assert case.case_type == "loan.partnership" and case.loan_application.eligible_amount == Decimal("660000.00")
    assert case.loan_application.decision.policy_code == "loan.partnership"


def test_a_small_enterprise_needs_its_key_group_hires(graduate_li, huang_lei, xu_tao):
    from chuangye.loans.applications import loan_apply

    business = _business("晓雨文创有限公司", [graduate_li.person], headcount=20)
    data = {
        "requested_amount": "1000000",
        "term_months": "24",
        "purpose": "扩大生产",
        "bank": huang_lei.organisation_id,
    }
    with at(2025, 6, 3):
        with pytest.raises(FieldValueError) as refused:
            loan_apply(applicant=graduate_li, kind="enterprise", data=data | {"term_months": "36"}, business=business)
        assert "贷款期限上限" in refused.value.message and "24" in refused.value.message
        with pytest.raises(DomainError) as refused:
            loan_apply(
                applicant=graduate_li,
                kind="enterprise",
                data=data | {"new_key_group_hires_12m": "1"},
                business=business,
            )
        assert [e.field for e in refused.value.errors] == ["criteria.key_group_hiring"]
        case = loan_apply(
            applicant=graduate_li, kind="enterprise", data=data | {"new_key_group_hires_12m": "2"}, business=business
        )
    assert case.loan_application.eligible_amount == Decimal("1000000.00") and case.region_code == "510104"
