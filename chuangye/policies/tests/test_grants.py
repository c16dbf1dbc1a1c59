"""免申即享: where a region switches the flag on, the scan opens one pre-filled case per eligible person for an
officer to confirm; confirmation re-decides on that day; declining needs a reason; nothing is opened twice."""

import datetime as dt

import pytest
from django.test import Client

from chuangye.accounts.testing import make_citizen, make_user, sign_in
from chuangye.cases.models import Case
from chuangye.core.ids import build_credit_code, encode_org_body
from chuangye.inbox.models import Message
from chuangye.policies.actions import parameter_override_create
from chuangye.policies.models import Decision, ProactiveGrant
from chuangye.policies.scan import scan
from chuangye.registry.actions import key_group_decide, key_group_declare
from chuangye.registry.models import Business, Founder, KeyGroupStatus

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 26)
FLAG = "subsidy.startup_once.grant_without_application"


@pytest.fixture
def founder(db, wang_fang):
    """赵建国, a certified returning migrant worker whose first business has run since 2025-06-01 (锦江区)."""
    zhao = make_citizen("zhao", "赵建国", phone="13800000002", region_code="510104", birth="1983-09-02", sex="M")
    checker = make_user("liumin", "supervisor", region_code="510104")
    status = key_group_declare(actor=wang_fang, person=zhao.person, category_code="returning_migrant")
    key_group_decide(actor=checker, status=status, certify=True, valid_from="2025-01-01")
    business = Business.objects.create(
        credit_code=build_credit_code("9", "2", "510104", encode_org_body(7, prefix="GR")),
        name="赵记小面馆",
        kind="individual",
        legal_representative=zhao.person,
        registered_on=dt.date(2025, 6, 1),
        region_code="510104",
        industry="H",
        headcount=2,
    )
    Founder.objects.create(business=business, person=zhao.person, role="operator")
    return zhao


def switch_on(officer, region="510104"):
    parameter_override_create(
        actor=officer,
        name="subsidy.startup_once.amount",
        region_code=region,
        value="5000.00",
        effective_from="2024-01-01",
        document_number="成人社发〔2024〕1号",
    )
    parameter_override_create(
        actor=officer,
        name=FLAG,
        region_code=region,
        value="是",
        effective_from="2026-01-01",
        document_number="成人社发〔2026〕9号",
    )


def test_without_the_flag_the_scan_only_tells_the_person(founder, wang_fang):
    parameter_override_create(
        actor=wang_fang,
        name="subsidy.startup_once.amount",
        region_code="510104",
        value="5000.00",
        effective_from="2024-01-01",
        document_number="成人社发〔2024〕1号",
    )
    result = scan(on=ON)
    assert result.newly_eligible >= 1 and result.grants == 0
    assert not Case.objects.filter(case_type="policy.grant").exists()


def test_the_flag_opens_one_prefilled_case_and_a_second_scan_opens_none(founder, wang_fang):
    switch_on(wang_fang)
    first = scan(on=ON)
    again = scan(on=ON)
    assert (first.grants, again.grants) == (1, 0)
    grant = ProactiveGrant.objects.get()
    assert grant.person == founder.person and grant.policy_code == "subsidy.startup_once"
    assert str(grant.amount) == "5000.00"
    assert grant.case.state == "pending" and grant.case.applicant_user == founder
    assert grant.case.due_at is not None  # 10 working days to confirm
    assert grant.decision.eligible and {c["code"] for c in grant.decision.criteria} >= {"first_business"}
    told = Message.objects.filter(recipient=founder, title__contains="无需申请")
    assert told.count() == 1 and grant.case.number in told.get().body


def test_a_person_already_eligible_before_the_switch_gets_a_case_on_the_next_scan(founder, wang_fang):
    parameter_override_create(
        actor=wang_fang,
        name="subsidy.startup_once.amount",
        region_code="510104",
        value="5000.00",
        effective_from="2024-01-01",
        document_number="成人社发〔2024〕1号",
    )
    assert scan(on=ON).grants == 0
    parameter_override_create(
        actor=wang_fang, name=FLAG, region_code="510104", value="是", effective_from="2026-01-01", document_number="x"
    )
    assert scan(on=ON).grants == 1


def test_another_county_switching_the_flag_on_does_not_open_cases_here(founder, wang_fang, chen_gang):
    switch_on(chen_gang, region="510107")
    parameter_override_create(
        actor=wang_fang,
        name="subsidy.startup_once.amount",
        region_code="510104",
        value="5000.00",
        effective_from="2024-01-01",
        document_number="成人社发〔2024〕1号",
    )
    assert scan(on=ON).grants == 0


def test_officer_confirms_through_the_case_page_and_the_decision_is_recorded_again(founder, wang_fang):
    switch_on(wang_fang)
    scan(on=ON)
    case = Case.objects.get(case_type="policy.grant")
    client = sign_in(Client(), wang_fang)
    page = client.get(f"/workbench/cases/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "免申即享" in html and "5000.00" in html and "一次性创业补贴" in html
    response = client.post(f"/workbench/cases/{case.pk}/", {"action": "confirm", "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    grant = case.proactive_grant
    assert case.state == "granted"
    assert grant.confirmed_decision is not None and grant.confirmed_decision.eligible
    assert Decision.objects.filter(subject_type="cases.Case", subject_id=str(case.pk)).count() == 1
    assert Message.objects.filter(recipient=founder, title__contains=case.number, body__contains="5000.00").exists()
    mine = sign_in(Client(), founder).get(f"/me/cases/{case.pk}/")
    assert mine.status_code == 200 and "已确认发放" in mine.content.decode()


def test_confirmation_is_refused_when_the_person_no_longer_qualifies(founder, wang_fang):
    switch_on(wang_fang)
    scan(on=ON)
    case = Case.objects.get(case_type="policy.grant")
    KeyGroupStatus.objects.filter(person=founder.person).update(valid_to=dt.date(2025, 12, 31))
    client = sign_in(Client(), wang_fang)
    response = client.post(f"/workbench/cases/{case.pk}/", {"action": "confirm", "version": case.version})
    assert response.status_code == 409 or response.status_code == 422
    assert "已不符合条件" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "pending"


def test_declining_needs_a_reason_and_the_person_is_told_it(founder, wang_fang):
    switch_on(wang_fang)
    scan(on=ON)
    case = Case.objects.get(case_type="policy.grant")
    client = sign_in(Client(), wang_fang)
    refused = client.post(f"/workbench/cases/{case.pk}/", {"action": "decline", "version": case.version})
    assert refused.status_code in (409, 422)
    case.refresh_from_db()
    assert case.state == "pending"
    client.post(
        f"/workbench/cases/{case.pk}/", {"action": "decline", "comment": "经营场所已注销", "version": case.version}
    )
    case.refresh_from_db()
    assert case.state == "declined"
    assert Message.objects.filter(recipient=founder, body__contains="经营场所已注销").exists()
    assert scan(on=ON).grants == 0  # a declined grant is not reopened


def test_a_bad_flag_value_is_refused_naming_the_field(wang_fang):
    from chuangye.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        parameter_override_create(
            actor=wang_fang,
            name=FLAG,
            region_code="510104",
            value="也许",
            effective_from="2026-01-01",
            document_number="x",
        )
    assert "是" in refused.value.message


def test_the_scan_command_runs_as_a_job_through_the_task_backend(founder, wang_fang):
    from io import StringIO

    from django.core.management import call_command

    from chuangye.jobs.models import Job

    switch_on(wang_fang)
    out = StringIO()
    call_command("scan_policies", "--on", ON.isoformat(), "--region", "510104", stdout=out)
    assert "生成免申即享待确认办件 1 件" in out.getvalue()
    job = Job.objects.get(kind="policies.scan")
    assert (job.state, job.region_code, job.params["region_prefix"]) == ("done", "510104", "510104")
    call_command("scan_policies", "--on", ON.isoformat(), "--region", "510100", "--no-notify", stdout=out)
    again = Job.objects.filter(kind="policies.scan").latest("pk")
    assert again.result == {"people": 1, "changed": 0, "newly_eligible": 0, "grants": 0}


def test_a_case_type_without_a_materials_state_refuses_a_notice_instead_of_failing(founder, wang_fang):
    switch_on(wang_fang)
    scan(on=ON)
    case = Case.objects.get(case_type="policy.grant")
    client = sign_in(Client(), wang_fang)
    assert "一次性告知需补正的全部材料" not in client.get(f"/workbench/cases/{case.pk}/").content.decode()
    response = client.post(
        f"/workbench/cases/{case.pk}/",
        {"action": "request_materials", "item": "营业执照", "detail": "原件", "version": case.version},
    )
    assert response.status_code == 409 and "不需要补正材料" in response.content.decode()
