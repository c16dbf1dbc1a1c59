"""Market-entity registration (plan 1) from the citizen's form to an issued licence, through the web pages."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from chuangye.accounts.testing import make_user, sign_in
from chuangye.cases.actions import case_transition
from chuangye.cases.models import Case
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.ids import issue_credit_code, parse_credit_code
from chuangye.inbox.models import Message
from chuangye.registration.actions import registration_change_submit, registration_deregister_submit
from chuangye.registry.models import Business, Founder

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))


def form(person, **overrides):
    return {
        "form_key": "k1",
        "kind": "individual",
        "name": "晓雨文创工作室",
        "address": "成都市锦江区春熙路1号",
        "region_code": "510104",
        "business_scope": "文化创意设计服务",
        "industry": "R",
        "capital": "50000",
        "founder_name": ["", ""],
        "founder_id_number": ["", ""],
        "founder_share": ["", ""],
        "materials": [SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 application form", content_type="application/pdf")],
        **overrides,
    }


def test_a_graduate_registers_a_business_entirely_through_the_web(li_xiaoyu, wang_fang):
    liu_min = make_user("liumin", "supervisor", region_code="510104", real_name="刘敏")
    citizen, officer, supervisor = (
        sign_in(Client(), li_xiaoyu),
        sign_in(Client(), wang_fang),
        sign_in(Client(), liu_min),
    )
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=BEIJING), tick=False):
        response = citizen.post("/me/registration/new/", form(li_xiaoyu.person))
        assert response.status_code == 302
        case = Case.objects.get()
        assert response["Location"] == f"/me/cases/{case.pk}/"
        assert citizen.post("/me/registration/new/", form(li_xiaoyu.person)).status_code == 302
        assert Case.objects.count() == 1  # the same form submitted twice is one case
        queue = officer.get("/workbench/cases/").content.decode()
        assert case.number in queue and "李晓雨" in queue
        page = officer.get(f"/workbench/cases/{case.pk}/").content.decode()
        assert "晓雨文创工作室" in page and "申请书.pdf" in page
        officer.post(f"/workbench/cases/{case.pk}/", {"action": "claim", "version": case.version})
        case.refresh_from_db()
        officer.post(f"/workbench/cases/{case.pk}/", {"action": "accept", "version": case.version})
        case.refresh_from_db()
        officer.post(
            f"/workbench/cases/{case.pk}/",
            {
                "action": "request_materials",
                "version": case.version,
                "item": ["住所使用证明", "", "", "", ""],
                "detail": ["须有出租方签章", "", "", "", ""],
            },
        )
        mine = citizen.get(f"/me/cases/{case.pk}/").content.decode()
        assert "需要您补正材料" in mine and "住所使用证明" in mine and "暂停" in mine
    with time_machine.travel(dt.datetime(2026, 11, 4, 9, tzinfo=BEIJING), tick=False):
        # Two days later: sessions have idled out, so both sign in again.
        citizen, supervisor = sign_in(Client(), li_xiaoyu), sign_in(Client(), liu_min)
        answered = citizen.post(
            f"/me/cases/{case.pk}/",
            {
                "action": "supplement",
                "answer": "已上传盖章的租赁合同",
                "materials": [SimpleUploadedFile("租赁合同.pdf", b"%PDF-1.4 lease", content_type="application/pdf")],
            },
        )
        assert answered.status_code == 302
        case.refresh_from_db()
        assert case.state == "under_review" and case.due_at is not None
        supervisor.post(f"/workbench/cases/{case.pk}/", {"action": "approve", "version": case.version})
    case.refresh_from_db()
    assert case.state == "approved"
    business = Business.objects.get()
    parse_credit_code(business.credit_code)  # a valid code, both check characters
    assert Founder.objects.get(business=business).person == li_xiaoyu.person
    citizen = sign_in(Client(), li_xiaoyu)
    result = citizen.get(f"/me/cases/{case.pk}/").content.decode()
    assert business.credit_code in result and "一件事" in result and "就业创业证" in result
    assert Message.objects.filter(recipient=li_xiaoyu, title__contains="已准予登记").exists()

    pdf = citizen.get(f"/me/cases/{case.pk}/licence.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "营 业 执 照" in text and business.credit_code in text and "晓雨文创工作室" in text
    code = re.search(r"核验码：([A-Z0-9]{12})", text).group(1)
    verified = Client().get(f"/verify/licence/{code}/").content.decode()
    assert "核验通过" in verified and business.credit_code in verified and "李**" in verified
    assert "李晓雨" not in verified
    assert "未找到" in Client().get("/verify/licence/AAAAAAAAAAAA/").content.decode()


def test_bad_applications_name_the_field_and_create_nothing(li_xiaoyu):
    citizen = sign_in(Client(), li_xiaoyu)
    for overrides, message in [
        ({"kind": "partnership"}, "「主体类型」"),
        ({"region_code": "510102"}, "「登记机关所在地」510102 不是现行的行政区划代码"),
        ({"capital": "100.555"}, "「注册资本（出资额）」最多保留两位小数"),
        ({"name": "=HYPERLINK(1)"}, "「名称」不能以公式符号开头"),
        (
            {"kind": "enterprise", "founder_name": ["李晓", ""], "founder_id_number": [li_xiaoyu.person.id_number, ""]},
            "「身份证号」与姓名「李晓」不符",
        ),
        (
            {"materials": [SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>", content_type="application/pdf")]},
            "只接受 PDF、PNG 或 JPEG",
        ),
    ]:
        page = citizen.post("/me/registration/new/", form(li_xiaoyu.person, form_key="", **overrides))
        assert page.status_code == 422 and message in page.content.decode(), message
    assert not Case.objects.exists()


def _approved_business(citizen, officer, kind="individual"):
    from chuangye.registration.actions import registration_establish_submit

    case = registration_establish_submit(
        applicant=citizen,
        data={
            "kind": kind,
            "name": "赵记返乡农庄",
            "address": "锦江区三圣乡",
            "region_code": "510104",
            "business_scope": "农家乐餐饮",
            "industry": "H",
        },
        founders=[{"name": citizen.person.name, "id_number": citizen.person.id_number}],
    )
    return case_transition(case=case, action="approve_on_spot", actor=officer).registration.business


def test_a_change_must_be_filed_within_thirty_days_of_the_decision(zhao_jianguo, wang_fang):
    business = _approved_business(zhao_jianguo, wang_fang)
    today = timezone.localdate()
    with pytest.raises(FieldValueError, match="30日内"):
        registration_change_submit(
            applicant=zhao_jianguo,
            business=business,
            changes={"name": "赵记农庄"},
            resolution_date=today - dt.timedelta(days=31),
        )
    case = registration_change_submit(
        applicant=zhao_jianguo,
        business=business,
        changes={"name": "赵记农庄"},
        resolution_date=today - dt.timedelta(days=30),
    )
    case = case_transition(case=case, action="approve_on_spot", actor=wang_fang)
    business.refresh_from_db()
    assert business.name == "赵记农庄"


def test_only_a_founder_may_change_or_deregister(zhao_jianguo, li_xiaoyu, wang_fang):
    business = _approved_business(zhao_jianguo, wang_fang)
    with pytest.raises(DomainError, match="只有该市场主体的投资人"):
        registration_deregister_submit(applicant=li_xiaoyu, business=business)


def test_an_individual_business_deregisters_without_notice(zhao_jianguo, wang_fang):
    business = _approved_business(zhao_jianguo, wang_fang)
    case = registration_deregister_submit(applicant=zhao_jianguo, business=business)
    case = case_transition(case=case, action="accept", actor=wang_fang)
    with pytest.raises(DomainError, match="无需公告"):
        case_transition(case=case, action="start_notice", actor=wang_fang)
    case_transition(case=case, action="approve", actor=wang_fang)
    business.refresh_from_db()
    assert business.status == "cancelled"


def test_a_company_deregisters_only_after_twenty_days_of_notice(zhao_jianguo, wang_fang):
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=BEIJING), tick=False):
        business = _approved_business(zhao_jianguo, wang_fang, kind="enterprise")
        case = registration_deregister_submit(applicant=zhao_jianguo, business=business)
        case = case_transition(case=case, action="accept", actor=wang_fang)
        with pytest.raises(DomainError, match="须先发布简易注销公告"):
            case_transition(case=case, action="approve", actor=wang_fang)
        case = case_transition(case=case, action="start_notice", actor=wang_fang)
        assert case.registration.notice_ends_on == dt.date(2026, 11, 22)
    with (
        time_machine.travel(dt.datetime(2026, 11, 22, 10, tzinfo=BEIJING), tick=False),
        pytest.raises(DomainError, match="期满后方可注销"),
    ):
        case_transition(case=case, action="end_notice", actor=wang_fang)
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=BEIJING), tick=False):
        case = case_transition(case=case, action="end_notice", actor=wang_fang)
        case_transition(case=case, action="approve", actor=wang_fang)
    business.refresh_from_db()
    assert business.status == "cancelled"


@settings(max_examples=60)
@given(
    region=st.sampled_from(["510104", "510107", "110105", "440305", "650102"]),
    kind=st.sampled_from(["individual", "enterprise", "cooperative"]),
)
def test_issued_credit_codes_are_always_valid(region, kind):
    code = issue_credit_code(region, kind)
    parsed = parse_credit_code(code)
    assert (
        parsed.region_code == region and parsed.kind == {"enterprise": "1", "individual": "2", "cooperative": "3"}[kind]
    )
    assert parsed.organisation_code.startswith("MA")
