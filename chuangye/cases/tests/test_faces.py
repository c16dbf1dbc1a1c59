"""The case pages and API: the queue with deadline badges, the supervisor view, and the conflict answer."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from chuangye.accounts.testing import make_user, sign_in
from chuangye.cases.actions import case_transition
from chuangye.registration.actions import registration_establish_submit

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))


def submit(citizen):
    return registration_establish_submit(
        applicant=citizen,
        data={
            "kind": "individual",
            "name": f"{citizen.person.name}工作室",
            "address": "锦江区某街1号",
            "region_code": "510104",
            "business_scope": "设计服务",
            "industry": "R",
        },
        founders=[{"name": citizen.person.name, "id_number": citizen.person.id_number}],
    )


def test_the_queue_shows_deadline_badges_and_the_supervisor_sees_overdue_cases(li_xiaoyu, zhao_jianguo, wang_fang):
    liu_min = make_user("liumin", "supervisor", region_code="510104")
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=BEIJING), tick=False):
        late = submit(li_xiaoyu)
        on_time = submit(zhao_jianguo)
        case_transition(case=on_time, action="approve_on_spot", actor=wang_fang)
    with time_machine.travel(dt.datetime(2026, 11, 9, 10, tzinfo=BEIJING), tick=False):
        queue = sign_in(Client(), wang_fang).get("/workbench/cases/").content.decode()
        assert late.number in queue and "已超期" in queue and on_time.number not in queue
        page = sign_in(Client(), liu_min).get("/workbench/supervision/").content.decode()
        assert late.number in page
        assert "四川省成都市锦江区" in page and "100.0%" in page  # one decided, on time


def test_the_api_refuses_a_stale_version_with_409(li_xiaoyu, wang_fang):
    case = submit(li_xiaoyu)
    officer = sign_in(Client(), wang_fang)
    body = officer.get(f"/api/v1/cases/{case.pk}").json()
    assert body["actions"] == ["accept", "approve_on_spot"] and body["events"][0]["action"] == "submit"
    first = officer.post(
        f"/api/v1/cases/{case.pk}/transitions",
        {"action": "accept", "version": body["version"]},
        content_type="application/json",
    )
    assert first.status_code == 200 and first.json()["state"] == "under_review"
    stale = officer.post(
        f"/api/v1/cases/{case.pk}/transitions",
        {"action": "approve", "version": body["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409 and "已被他人处理" in stale.json()["message"]


def test_the_citizen_follows_progress_and_gets_inbox_messages(li_xiaoyu, wang_fang):
    case = submit(li_xiaoyu)
    case_transition(case=case, action="accept", actor=wang_fang)
    citizen = sign_in(Client(), li_xiaoyu)
    page = citizen.get(f"/me/cases/{case.pk}/").content.decode()
    assert "审查中" in page and "目前无需您操作" in page and case.number in page
    inbox = citizen.get("/inbox/").content.decode()
    assert "市场主体设立登记：已提交" in inbox and "市场主体设立登记：审查中" in inbox


def test_the_queue_pages_through_every_case_keeping_its_filters(wang_fang):
    from chuangye.accounts.testing import make_citizen

    citizens = [
        make_citizen(
            f"c{i}",
            "测试" + "甲乙丙丁戊己庚辛壬癸"[i % 10] + "子丑寅卯辰巳午"[i // 10],
            phone=f"139000000{i:02d}",
            region_code="510104",
            birth=f"1990-{i // 28 + 1:02d}-{i % 28 + 1:02d}",
            sex="M",
        )
        for i in range(52)
    ]
    numbers = {submit(c).number for c in citizens}
    client = sign_in(Client(), wang_fang)
    first = client.get("/workbench/cases/", {"case_type": "registration.establish"}).content.decode()
    assert "第 1 / 2 页（共 52 件）" in first and "?case_type=registration.establish&page=2" in first
    second = client.get("/workbench/cases/", {"case_type": "registration.establish", "page": 2}).content.decode()
    seen = {n for n in numbers if n in first} | {n for n in numbers if n in second}
    assert seen == numbers
