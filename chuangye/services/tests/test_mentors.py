"""Mentors: explainable matching scores, assignment through the web, service logs, visit reminders, ratings."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from chuangye.accounts.models import Role
from chuangye.accounts.testing import make_user, sign_in
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.ids import build_credit_code, encode_org_body
from chuangye.inbox.models import Message
from chuangye.registry.models import Business, Founder, KeyGroupCategory, KeyGroupStatus
from chuangye.services import actions, matching
from chuangye.services.models import Assignment

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 6, 10, tzinfo=BEIJING)


def mentor(officer, username, name, *, region="510104", industries=("H",), stages=("startup",), groups=(), capacity=3):
    account = make_user(username, Role.MENTOR, real_name=name)
    return actions.mentor_register(
        actor=officer,
        username=account.username,
        data={"name": name, "region_code": region, "capacity": str(capacity), "available": "1"},
        industries=list(industries),
        stages=list(stages),
        groups=list(groups),
    )


def business_for(person, *, industry="H", registered_on=dt.date(2025, 6, 1), n=1):
    code = build_credit_code("9", "2", person.region_code, encode_org_body(n, prefix="MT"))
    business = Business.objects.create(
        credit_code=code,
        name=f"{person.name}奶茶店",
        kind="individual",
        legal_representative=person,
        registered_on=registered_on,
        region_code=person.region_code,
        industry=industry,
    )
    Founder.objects.create(business=business, person=person, role="operator")
    return business


def graduate(person):
    category = KeyGroupCategory.objects.filter(fact="graduate").first() or KeyGroupCategory.objects.create(
        code="graduate", name="高校毕业生", fact="graduate"
    )
    KeyGroupStatus.objects.create(
        person=person, category=category, state="certified", valid_from=dt.date(2024, 7, 1), region_code="510104"
    )


def test_the_score_is_the_sum_of_named_parts_with_reasons(li_xiaoyu, zhao_jianguo, wang_fang, chen_gang):
    person = li_xiaoyu.person
    business_for(person)
    graduate(person)
    guo = mentor(wang_fang, "guo", "郭明", groups=("graduate",), capacity=4)
    far = mentor(chen_gang, "qian", "钱多", region="510107", industries=("I",), stages=("growth",), capacity=2)
    actions.mentor_assign(
        actor=wang_fang, person=zhao_jianguo.person, mentor_id=guo.pk
    )  # one of guo's four places taken
    with time_machine.travel(NOW, tick=False):
        founder = matching.founder_profile(person, NOW.date())
        assert (founder.industry, founder.stage, founder.groups) == ("H", "startup", frozenset({"graduate"}))
        ranked = matching.rank_mentors(founder)
    assert [m.target for m in ranked] == [guo, far]
    best, other = ranked
    assert [(p.code, p.points) for p in best.parts] == [
        ("industry", 35),
        ("stage", 25),
        ("group", 20),
        ("region", 15),
        ("capacity", 3),  # 3 of 4 places free: 5 × 3 // 4
    ]
    assert best.score == 98
    assert best.parts[0].reason == "擅长住宿和餐饮业"
    assert best.parts[2].reason == "服务高校毕业生"
    assert [(p.code, p.points) for p in other.parts] == [
        ("industry", 0),
        ("stage", 0),
        ("group", 0),
        ("region", 10),  # same city (成都市), another district
        ("capacity", 5),
    ]
    assert other.parts[3].reason == "同一地市"


def test_full_or_paused_mentors_are_not_offered(li_xiaoyu, zhao_jianguo, wang_fang):
    busy = mentor(wang_fang, "busy", "满额", capacity=1)
    paused = mentor(wang_fang, "paused", "暂停")
    paused.available = False
    paused.save()
    actions.mentor_assign(actor=zhao_jianguo, person=zhao_jianguo.person, mentor_id=busy.pk)
    founder = matching.founder_profile(li_xiaoyu.person, NOW.date())
    assert matching.rank_mentors(founder) == []
    with pytest.raises(DomainError, match="暂不能接受新的对接"):
        actions.mentor_assign(actor=li_xiaoyu, person=li_xiaoyu.person, mentor_id=busy.pk)
    with pytest.raises(DomainError):
        actions.mentor_assign(actor=li_xiaoyu, person=zhao_jianguo.person, mentor_id=paused.pk)  # not for others


def test_a_founder_is_matched_through_the_web_and_the_mentor_logs_visits_with_reminders(li_xiaoyu, wang_fang):
    business_for(li_xiaoyu.person)
    guo = mentor(wang_fang, "guo", "郭明")
    with time_machine.travel(NOW, tick=False) as clock:
        founder = sign_in(Client(), li_xiaoyu)
        page = founder.get("/services/mentors/match/").content.decode()
        assert "郭明" in page and "擅长住宿和餐饮业" in page and "80分" in page
        response = founder.post("/services/mentors/match/", {"mentor": guo.pk})
        assignment = Assignment.objects.get()
        assert response["Location"] == f"/services/mentoring/{assignment.pk}/"
        assert assignment.score == 80 and assignment.explanation[0]["reason"] == "擅长住宿和餐饮业"
        assert assignment.next_visit_on == dt.date(2026, 11, 13)  # 主动对接 within a week
        assert Message.objects.filter(recipient=guo.user, title__contains="李晓雨").exists()
        assert "选择郭明为我的导师" not in founder.get("/services/mentors/match/").content.decode()  # already mine

        # Reminders: nothing yet; three days before the due date the mentor is reminded, once.
        assert actions.visit_reminders_send(today=dt.date(2026, 11, 9)) == 0
        assert actions.visit_reminders_send(today=dt.date(2026, 11, 10)) == 1
        assert actions.visit_reminders_send(today=dt.date(2026, 11, 10)) == 0
        assert actions.visit_reminders_send(today=dt.date(2026, 11, 14)) == 1  # overdue: a second, different notice
        assert Message.objects.filter(recipient=guo.user, title__startswith="走访已逾期").count() == 1

        clock.move_to(dt.datetime(2026, 11, 12, 15, tzinfo=BEIJING))
        mentor_client = sign_in(Client(), guo.user)
        assert "李晓雨" in mentor_client.get("/services/mentoring/").content.decode()
        response = mentor_client.post(
            f"/services/mentoring/{assignment.pk}/",
            {
                "action": "log",
                "visit_type": "on_site",
                "visited_on": "2026-11-12",
                "notes": "上门了解门店经营，建议优化外卖菜单。",
                "next_step": "下月复盘外卖数据",
            },
        )
        assert response.status_code == 302
        assignment.refresh_from_db()
        assert assignment.next_visit_on == dt.date(2026, 12, 12)  # the 30-day 定期走访 rhythm
        future = mentor_client.post(
            f"/services/mentoring/{assignment.pk}/",
            {"action": "log", "visit_type": "periodic", "visited_on": "2026-11-20", "notes": "x"},
        )
        assert future.status_code == 422 and "「服务日期」不能晚于今天" in future.content.decode()

        founder = sign_in(Client(), li_xiaoyu)
        assert (
            founder.post(
                f"/services/mentoring/{assignment.pk}/",
                {"action": "log", "visit_type": "on_site", "visited_on": "2026-11-12", "notes": "x"},
            ).status_code
            == 403
        )
        assert (
            founder.post(
                f"/services/mentoring/{assignment.pk}/", {"action": "rate", "rating": "5", "comment": "很有帮助"}
            ).status_code
            == 302
        )
        assignment.refresh_from_db()
        assert assignment.rating == 5

        # The office makes it a key project (跟踪陪跑): visits every 14 days from the last one.
        office = sign_in(Client(), wang_fang)
        assert (
            office.post(
                f"/services/mentoring/{assignment.pk}/", {"action": "key_project", "key_project": "1"}
            ).status_code
            == 302
        )
        assignment.refresh_from_db()
        assert assignment.key_project and assignment.next_visit_on == dt.date(2026, 11, 26)


def test_only_the_region_sees_a_pairing_and_the_registry_refuses_bad_input(li_xiaoyu, wang_fang, chen_gang):
    guo = mentor(wang_fang, "guo", "郭明")
    assignment = actions.mentor_assign(actor=li_xiaoyu, person=li_xiaoyu.person, mentor_id=guo.pk)
    assert sign_in(Client(), chen_gang).get(f"/services/mentoring/{assignment.pk}/").status_code == 404
    other = make_user("other_mentor", Role.MENTOR)
    assert sign_in(Client(), other).get(f"/services/mentoring/{assignment.pk}/").status_code == 404
    with pytest.raises(DomainError):  # 武侯区's officer cannot register a mentor for 锦江区
        mentor(chen_gang, "m2", "某导师")
    account = make_user("m3", Role.MENTOR)
    with pytest.raises(FieldValueError, match="擅长行业"):
        actions.mentor_register(
            actor=wang_fang,
            username=account.username,
            data={"name": "x", "region_code": "510104", "capacity": "3"},
            industries=["ZZ"],
            stages=["idea"],
        )
    response = sign_in(Client(), wang_fang).post(
        "/services/mentors/",
        {
            "username": account.username,
            "name": "x",
            "region_code": "510104",
            "capacity": "0",
            "industries": "H",
            "stages": "idea",
        },
    )
    assert response.status_code == 422 and "「最多同时辅导人数」应在1到50之间" in response.content.decode()


def test_a_mentor_keeps_their_own_profile(wang_fang):
    guo = mentor(wang_fang, "guo", "郭明")
    client = sign_in(Client(), guo.user)
    response = client.post(
        "/services/mentor/profile/",
        {"name": "郭明", "region_code": "510104", "capacity": "8", "industries": ["H", "I"], "stages": ["idea"]},
    )
    assert response.status_code == 302
    guo.refresh_from_db()
    assert (guo.capacity, guo.industries, guo.available) == (8, ["H", "I"], False)


def test_the_daily_command_sends_visit_reminders(li_xiaoyu, wang_fang):
    from io import StringIO

    from django.core.management import call_command

    guo = mentor(wang_fang, "guo", "郭明")
    with time_machine.travel(NOW, tick=False):
        actions.mentor_assign(actor=li_xiaoyu, person=li_xiaoyu.person, mentor_id=guo.pk)
    out = StringIO()
    with time_machine.travel(dt.datetime(2026, 11, 11, 8, tzinfo=BEIJING), tick=False):
        call_command("services_daily", stdout=out)
        call_command("services_daily", stdout=out)
    assert out.getvalue().splitlines() == ["走访提醒 1 条；超期咨询 0 件", "走访提醒 0 条；超期咨询 0 件"]
    assert sign_in(Client(), guo.user).get("/services/mentor/profile/").status_code == 200


def test_the_registry_shows_load_and_satisfaction(li_xiaoyu, wang_fang):
    guo = mentor(wang_fang, "guo", "郭明")
    assignment = actions.mentor_assign(actor=li_xiaoyu, person=li_xiaoyu.person, mentor_id=guo.pk)
    actions.service_log_add(
        actor=guo.user, assignment=assignment, visit_type="online", visited_on=timezone.localdate(), notes="线上指导"
    )
    actions.assignment_rate(actor=li_xiaoyu, assignment=assignment, rating=4)
    page = sign_in(Client(), wang_fang).get("/services/mentors/").content.decode()
    assert "1/3" in page and "4.0（1人评价）" in page
