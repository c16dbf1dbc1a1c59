"""The case engine through its first case type, market-entity registration: transitions and roles, deadlines in
working days across holidays, the 补正 clock stop, extension, deadline marking run twice, maker-checker, two
officers at once, and cross-office routing (异地可办)."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from chuangye.accounts.testing import make_user
from chuangye.cases.actions import (
    case_answer_notice,
    case_extend,
    case_issue_notice,
    case_transition,
    case_withdraw_notice,
)
from chuangye.cases.deadlines import local_date
from chuangye.cases.models import Case
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.inbox.models import Message
from chuangye.registration.actions import registration_establish_submit

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))


def at(y, m, d, hour=10):
    return time_machine.travel(dt.datetime(y, m, d, hour, tzinfo=BEIJING), tick=False)


def submit(citizen, *, accepting_region="", key=""):
    return registration_establish_submit(
        applicant=citizen,
        data={
            "kind": "individual",
            "name": "晓雨文创工作室",
            "address": "成都市锦江区春熙路1号",
            "region_code": "510104",
            "business_scope": "文化创意设计服务",
            "industry": "R",
            "capital": "50000",
        },
        founders=[{"name": citizen.person.name, "id_number": citizen.person.id_number}],
        accepting_region=accepting_region,
        idempotency_key=key,
    )


@pytest.fixture
def liu_min(db):
    return make_user("liumin", "supervisor", region_code="510104", real_name="刘敏")


def test_a_time_limited_case_is_due_three_working_days_later_across_national_day(li_xiaoyu):
    with at(2026, 9, 30):  # Wednesday; 1–7 October are holidays and Saturday 10 October is a working day
        case = submit(li_xiaoyu)
    assert case.state == "submitted" and case.number.startswith("DJ-2026-510104-")
    assert local_date(case.due_at) == dt.date(2026, 10, 10)  # 8, 9, then the make-up Saturday
    assert not case.due_provisional


def test_a_due_date_in_an_unpublished_year_is_provisional(li_xiaoyu):
    with at(2026, 12, 30):
        case = submit(li_xiaoyu)
    assert local_date(case.due_at) == dt.date(2027, 1, 4) and case.due_provisional


def test_a_double_submission_creates_one_case(li_xiaoyu):
    first = submit(li_xiaoyu, key="form-7f3a")
    second = submit(li_xiaoyu, key="form-7f3a")
    assert first.pk == second.pk and Case.objects.count() == 1


def test_complete_applications_are_decided_on_the_spot(li_xiaoyu, wang_fang):
    case = submit(li_xiaoyu)
    case = case_transition(case=case, action="approve_on_spot", actor=wang_fang)
    assert case.state == "approved" and case.decided_at is not None
    business = case.registration.business
    assert business.region_code == "510104" and business.kind == "individual"
    assert business.credit_code[1] == "2" and business.credit_code[2:8] == "510104"
    assert [e.action for e in case.events.all()] == ["submit", "approve_on_spot"]


def test_transitions_check_state_and_role(li_xiaoyu, wang_fang, chen_gang):
    case = submit(li_xiaoyu)
    with pytest.raises(ConflictError, match="不能准予登记"):
        case_transition(case=case, action="approve", actor=wang_fang)  # not accepted yet
    with pytest.raises(DomainError, match="您不能对该办件执行"):
        case_transition(case=case, action="accept", actor=chen_gang)  # the neighbouring county
    with pytest.raises(DomainError, match="您不能对该办件执行"):
        case_transition(case=case, action="accept", actor=li_xiaoyu)  # the applicant
    with pytest.raises(DomainError, match="没有这个操作"):
        case_transition(case=case, action="teleport", actor=wang_fang)
    case = case_transition(case=case, action="accept", actor=wang_fang)
    with pytest.raises(FieldValueError, match="须填写理由"):
        case_transition(case=case, action="refuse", actor=wang_fang)
    assert case_transition(case=case, action="withdraw", actor=li_xiaoyu).state == "withdrawn"


def test_nobody_approves_their_own_application(wang_fang):
    from chuangye.accounts.testing import make_citizen

    dual = make_citizen("dual", "杜娟", phone="13800000077", region_code="510104", birth="1990-01-01", sex="F")
    dual.role, dual.region_code = "officer", "510104"
    dual.save()
    case = submit(dual)
    with pytest.raises(DomainError, match="不能审批自己提交的申请"):
        case_transition(case=case, action="approve_on_spot", actor=dual)


def test_the_previous_tier_cannot_decide_again(li_xiaoyu, wang_fang, liu_min):
    case = case_transition(case=submit(li_xiaoyu), action="accept", actor=wang_fang)
    from chuangye.cases.models import CaseEvent

    CaseEvent.objects.create(case=case, actor=wang_fang, action="approve", from_state="x", to_state="under_review")
    with pytest.raises(DomainError, match="上一级审核人"):
        case_transition(case=case, action="approve", actor=wang_fang)
    assert case_transition(case=case, action="approve", actor=liu_min).state == "approved"


def test_two_officers_at_once_one_gets_a_conflict(li_xiaoyu, wang_fang, liu_min):
    case = case_transition(case=submit(li_xiaoyu), action="accept", actor=wang_fang)
    seen = case.version
    case_transition(case=case, action="approve", actor=liu_min, expected_version=seen)
    with pytest.raises(ConflictError, match="已被他人处理"):
        case_transition(case=case, action="refuse", actor=wang_fang, comment="材料不符", expected_version=seen)
    assert Case.objects.get(pk=case.pk).state == "approved"
    assert Case.objects.get(pk=case.pk).events.filter(action__in=["approve", "refuse"]).count() == 1


def test_the_clock_stops_during_supplementing_and_restarts_with_what_was_left(li_xiaoyu, wang_fang):
    with at(2026, 11, 2):  # Monday: due Thursday 5 November
        case = case_transition(case=submit(li_xiaoyu), action="accept", actor=wang_fang)
    assert local_date(case.due_at) == dt.date(2026, 11, 5)
    with at(2026, 11, 3):  # Tuesday: two working days left (Wed, Thu)
        notice = case_issue_notice(
            case=case,
            actor=wang_fang,
            items=[{"item": "住所使用证明", "detail": "租赁合同须有出租方签章"}, {"item": "经营者照片"}],
        )
        with pytest.raises(ConflictError, match="本轮已经一次性告知"):
            case_issue_notice(case=case, actor=wang_fang, items=[{"item": "又想起一项"}])
    case.refresh_from_db()
    assert case.state == "awaiting_materials" and case.due_at is None and case.paused_remaining_workdays == 2
    assert notice.round == 1
    assert Message.objects.filter(recipient=li_xiaoyu, title__contains="需要补正材料").exists()
    with at(2026, 11, 13):  # Friday, ten days later: the clock restarts with two working days
        case = case_answer_notice(case=case, actor=li_xiaoyu, answer="已上传盖章的租赁合同和照片")
    assert case.state == "under_review" and local_date(case.due_at) == dt.date(2026, 11, 17)
    with pytest.raises(ConflictError):
        case_answer_notice(case=case, actor=li_xiaoyu, answer="再交一次")


def test_an_answer_to_a_withdrawn_notice_is_refused(li_xiaoyu, wang_fang):
    case = case_transition(case=submit(li_xiaoyu), action="accept", actor=wang_fang)
    case_issue_notice(case=case, actor=wang_fang, items=[{"item": "住所使用证明"}])
    case_withdraw_notice(case=case, actor=wang_fang, reason="材料已在系统中")
    with pytest.raises(ConflictError):
        case_answer_notice(case=case, actor=li_xiaoyu, answer="已补交")
    assert Case.objects.get(pk=case.pk).state == "under_review"


def test_a_supervisor_extends_once_with_a_written_reason(li_xiaoyu, wang_fang, liu_min):
    with at(2026, 11, 2):
        case = case_transition(case=submit(li_xiaoyu), action="accept", actor=wang_fang)
        with pytest.raises(DomainError, match="主管"):
            case_extend(case=case, actor=wang_fang, reason="需要实地核查")
        case = case_extend(case=case, actor=liu_min, reason="需要实地核查经营场所")
        assert local_date(case.due_at) == dt.date(2026, 11, 10)  # Thursday + 3 working days
        with pytest.raises(ConflictError, match="已延长过一次"):
            case_extend(case=case, actor=liu_min, reason="还需要时间")
    message = Message.objects.get(recipient=li_xiaoyu, title__contains="办理时限延长")
    assert "需要实地核查经营场所" in message.body and "2026年11月10日" in message.body


def test_deadline_marking_run_twice_notifies_once(li_xiaoyu, wang_fang, liu_min):
    with at(2026, 11, 2):
        case = case_transition(case=submit(li_xiaoyu), action="accept", actor=wang_fang)
    with at(2026, 11, 4):  # due tomorrow
        call_command("mark_case_deadlines")
        call_command("mark_case_deadlines")
    assert Case.objects.get(pk=case.pk).deadline_flag == "due_soon"
    assert Message.objects.filter(recipient=liu_min, title__contains="1个工作日内到期").count() == 1
    with at(2026, 11, 6):  # overdue
        call_command("mark_case_deadlines")
        call_command("mark_case_deadlines")
    assert Case.objects.get(pk=case.pk).deadline_flag == "overdue"
    assert Message.objects.filter(recipient=liu_min, title__contains="已超期").count() == 1


def test_another_office_accepts_and_the_authority_decides(li_xiaoyu, wang_fang, chen_gang):
    """异地可办: handed in at 武侯区 for a business in 锦江区; 武侯区 checks and passes it on, 锦江区 decides."""
    case = submit(li_xiaoyu, accepting_region="510107")
    assert (case.accepting_region, case.region_code) == ("510107", "510104")
    case = case_transition(case=case, action="accept", actor=chen_gang)
    with pytest.raises(DomainError, match="您不能对该办件执行"):
        case_transition(case=case, action="approve", actor=chen_gang)
    assert case_transition(case=case, action="approve", actor=wang_fang).state == "approved"


def test_apps_can_give_partners_roles_on_their_cases(li_xiaoyu, wang_fang, huang_lei):
    from chuangye.cases.access import ROLE_PROVIDERS, roles_on_case

    case = submit(li_xiaoyu)
    assert roles_on_case(case, huang_lei) == set()

    def bank_of_the_case(case, actor):
        return {"bank"} if actor.organisation_id and actor.region_code == case.region_code else set()

    ROLE_PROVIDERS.append(bank_of_the_case)
    try:
        assert roles_on_case(case, huang_lei) == {"bank"}
        assert "bank" not in roles_on_case(case, wang_fang)
    finally:
        ROLE_PROVIDERS.remove(bank_of_the_case)
