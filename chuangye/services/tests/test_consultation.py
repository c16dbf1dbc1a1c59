"""Consultation: routing by topic and region, working-day time limits, answers, follow-ups, ratings and the FAQ."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chuangye.accounts.models import Organisation, Role
from chuangye.accounts.testing import make_org, make_user, sign_in
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.models import AuditEvent
from chuangye.inbox.models import Message
from chuangye.services import actions
from chuangye.services.models import FaqEntry, Question
from chuangye.services.routing import route

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))
FRIDAY = dt.datetime(2026, 11, 6, 10, tzinfo=BEIJING)  # 2026-11-06 is a Friday


def test_routing_picks_desk_and_time_limit_by_topic_and_office_by_region():
    loan = route("loan", "510104", FRIDAY.date())
    assert loan.office == "锦江区人力资源和社会保障局创业担保贷款窗口"
    assert loan.due_on == dt.date(2026, 11, 11)  # 3 working days: Mon, Tue, Wed
    policy = route("policy", "510107", FRIDAY.date())
    assert policy.office == "武侯区人力资源和社会保障局就业创业科"
    assert policy.due_on == dt.date(2026, 11, 13)  # 5 working days skip the weekend
    assert policy.organisation is None


def test_legal_questions_go_to_the_nearest_legal_aid_body():
    assert route("legal", "510104", FRIDAY.date()).office.endswith("劳动保障监察机构")  # none registered yet
    city_aid = make_org("成都市法律援助中心", Organisation.Kind.LEGAL_AID, "510100")
    assert route("legal", "510104", FRIDAY.date()).organisation == city_aid  # the city's, failing the county's
    county_aid = make_org("锦江区法律援助中心", Organisation.Kind.LEGAL_AID, "510104")
    where = route("legal", "510104", FRIDAY.date())
    assert where.organisation == county_aid and where.office == "锦江区法律援助中心"
    assert route("policy", "510104", FRIDAY.date()).organisation is None  # only legal topics go to legal aid


def test_a_founder_asks_is_answered_rates_and_the_answer_becomes_a_searchable_faq(li_xiaoyu, wang_fang, chen_gang):
    # Sessions end after idle time, so each moment of the story signs its people in afresh.
    with time_machine.travel(FRIDAY, tick=False) as clock:
        citizen, officer, neighbour = (sign_in(Client(), u) for u in (li_xiaoyu, wang_fang, chen_gang))
        response = citizen.post(
            "/services/ask/",
            {
                "topic": "policy",
                "title": "一次性创业补贴怎么申请",
                "body": "我是2024届毕业生，去年开了一家奶茶店，想申请一次性创业补贴，需要什么材料？",
                "attachments": [SimpleUploadedFile("执照.pdf", b"%PDF-1.4 licence", content_type="application/pdf")],
            },
        )
        question = Question.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/services/questions/{question.pk}/"
        assert question.region_code == "510104"  # the asker's usual residence
        assert question.office == "锦江区人力资源和社会保障局就业创业科"
        assert question.due_on == dt.date(2026, 11, 13)
        assert Message.objects.filter(recipient=wang_fang, link=f"/services/questions/{question.pk}/").exists()
        page = officer.get("/services/questions/")
        assert "一次性创业补贴怎么申请" in page.content.decode()
        assert "一次性创业补贴怎么申请" not in neighbour.get("/services/questions/").content.decode()
        # The neighbouring district's officer can neither see nor answer it.
        assert (
            neighbour.post(f"/services/questions/{question.pk}/", {"action": "answer", "body": "越权"}).status_code
            == 404
        )
        # The attachment is visible to the asker and the answering office only.
        detail = officer.get(f"/services/questions/{question.pk}/").content.decode()
        assert "执照.pdf" in detail
        attachment_url = detail.split('href="/workbench/attachments/')[1].split('"')[0]
        assert officer.get(f"/workbench/attachments/{attachment_url}").status_code == 200
        assert neighbour.get(f"/workbench/attachments/{attachment_url}").status_code == 404

        clock.move_to(FRIDAY + dt.timedelta(days=4))
        citizen, officer = sign_in(Client(), li_xiaoyu), sign_in(Client(), wang_fang)
        answer = "高校毕业生首次创业且正常经营满12个月的，可持营业执照和毕业证书向经营地人社部门申请一次性创业补贴。"
        assert (
            officer.post(f"/services/questions/{question.pk}/", {"action": "answer", "body": answer}).status_code == 302
        )
        question.refresh_from_db()
        assert question.state == Question.State.ANSWERED
        assert AuditEvent.objects.get(action="services.question.answer").details["on_time"] is True
        assert Message.objects.filter(recipient=li_xiaoyu, title__contains="已答复").exists()

        # The asker may not answer their own question; the officer may not rate it.
        assert citizen.post(f"/services/questions/{question.pk}/", {"action": "answer", "body": "x"}).status_code == 403
        assert officer.post(f"/services/questions/{question.pk}/", {"action": "rate", "rating": "5"}).status_code == 403
        bad = citizen.post(f"/services/questions/{question.pk}/", {"action": "rate", "rating": "9"})
        assert bad.status_code == 422 and "「满意度」应在1到5之间" in bad.content.decode()
        assert (
            citizen.post(
                f"/services/questions/{question.pk}/", {"action": "rate", "rating": "5", "comment": "很清楚"}
            ).status_code
            == 302
        )
        question.refresh_from_db()
        assert (question.state, question.rating) == (Question.State.CLOSED, 5)

        assert (
            officer.post(
                f"/services/questions/{question.pk}/",
                {"action": "promote", "title": "高校毕业生如何申请一次性创业补贴"},
            ).status_code
            == 302
        )
        entry = FaqEntry.objects.get()
        assert entry.answer == answer
        found = Client().get("/services/faq/", {"q": "毕业生申请创业补贴"}).content.decode()
        assert "高校毕业生如何申请一次性创业补贴" in found
        assert (
            "高校毕业生如何申请一次性创业补贴" not in Client().get("/services/faq/", {"q": "贷款展期"}).content.decode()
        )


def test_a_follow_up_reopens_the_question_with_a_fresh_time_limit(li_xiaoyu, wang_fang):
    with time_machine.travel(FRIDAY, tick=False):
        question = actions.question_ask(asker=li_xiaoyu, topic="loan", title="贷款额度", body="个人最多能贷多少？")
        actions.question_answer(actor=wang_fang, question=question, body="个人最高30万元。")
    with time_machine.travel(dt.datetime(2026, 11, 16, 9, tzinfo=BEIJING), tick=False):  # Monday
        question = actions.question_follow_up(actor=li_xiaoyu, question=question, body="合伙创业呢？")
    assert question.state == Question.State.PENDING
    assert question.due_on == dt.date(2026, 11, 19)  # 3 working days from the follow-up
    with pytest.raises(DomainError):
        actions.question_rate(actor=li_xiaoyu, question=question, rating=4)  # pending again: answer first


def test_a_late_answer_is_flagged_overdue_and_recorded_late(li_xiaoyu, wang_fang):
    with time_machine.travel(FRIDAY, tick=False):
        question = actions.question_ask(asker=li_xiaoyu, topic="loan", title="贷款额度", body="个人最多能贷多少？")
    with time_machine.travel(dt.datetime(2026, 11, 12, 9, tzinfo=BEIJING), tick=False):
        page = sign_in(Client(), wang_fang).get(f"/services/questions/{question.pk}/").content.decode()
        assert "已超期" in page
        liu_min = make_user("liumin", Role.SUPERVISOR, region_code="510104", real_name="刘敏")
        assert actions.overdue_questions_send() == 1
        assert actions.overdue_questions_send() == 0  # once per question and due date
        for user in (wang_fang, liu_min):
            assert Message.objects.filter(recipient=user, title="咨询已超期未答复：贷款额度").count() == 1
        actions.question_answer(actor=wang_fang, question=question, body="个人最高30万元。")
    assert AuditEvent.objects.get(action="services.question.answer").details["on_time"] is False


def test_legal_aid_staff_see_and_answer_questions_routed_to_them(li_xiaoyu, wang_fang):
    aid = make_org("锦江区法律援助中心", Organisation.Kind.LEGAL_AID, "510104")
    hu_bin = make_user("hubin", Role.PARTNER, region_code="510104", org=aid, real_name="胡斌")
    question = actions.question_ask(asker=li_xiaoyu, topic="legal", title="被拖欠货款", body="客户拖欠货款三个月。")
    assert question.organisation == aid
    assert Message.objects.filter(recipient=hu_bin).exists()
    client = sign_in(Client(), hu_bin)
    assert client.get(f"/services/questions/{question.pk}/").status_code == 200
    assert (
        client.post(f"/services/questions/{question.pk}/", {"action": "answer", "body": "可申请法律援助。"}).status_code
        == 302
    )
    # The bureau's officer supervises (sees it) but legal aid cannot promote to the FAQ.
    assert sign_in(Client(), wang_fang).get(f"/services/questions/{question.pk}/").status_code == 200
    with pytest.raises(DomainError):
        actions.faq_promote(actor=hu_bin, question=question)


def test_bad_questions_are_refused_naming_the_field_and_nothing_is_saved(li_xiaoyu, wang_fang):
    client = sign_in(Client(), li_xiaoyu)
    response = client.post("/services/ask/", {"topic": "policy", "title": "", "body": "内容"})
    assert response.status_code == 422 and "「问题摘要」不能为空" in response.content.decode()
    response = client.post("/services/ask/", {"topic": "nope", "title": "x", "body": "y"})
    assert "「咨询类别」" in response.content.decode()
    response = client.post(
        "/services/ask/",
        {
            "topic": "policy",
            "title": "t",
            "body": "b",
            "attachments": [SimpleUploadedFile("a.exe", b"MZ...", content_type="application/pdf")],
        },
    )
    assert response.status_code == 422 and "只接受 PDF" in response.content.decode()
    response = client.post("/services/ask/", {"topic": "policy", "title": "t", "body": "b", "region_code": "510100"})
    assert "应选择到县" in response.content.decode()
    assert Question.objects.count() == 0
    with pytest.raises(DomainError):
        actions.question_ask(asker=wang_fang, topic="policy", title="t", body="b")
    with pytest.raises(FieldValueError):
        actions.question_ask(asker=li_xiaoyu, topic="policy", title="长" * 101, body="b")
