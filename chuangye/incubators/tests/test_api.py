"""The API: public directory and board, scored applications, booking with conflicts and cancellation."""

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.incubators.actions import equipment_add
from chuangye.incubators.testing import apply_for_desk, certify

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=BEIJING), tick=False):
        yield


def test_public_directory_and_board(base):
    carriers = Client().get("/api/v1/incubators/carriers", {"region": "510100"}).json()
    assert [c["name"] for c in carriers] == ["武侯区大学生创业孵化基地"]
    assert carriers[0]["free_spaces"] == 10 and carriers[0]["government_funded"] is True
    assert Client().get("/api/v1/incubators/carriers", {"region": "510104"}).json() == []
    board = Client().get("/api/v1/incubators/board", {"kind": "site"}).json()
    assert len(board["spaces"]) == 10 and board["equipment"] == []


def test_applications_carry_the_score_breakdown(li_xiaoyu, ma_chao, base):
    certify(li_xiaoyu.person, "returning_migrant")
    apply_for_desk(li_xiaoyu, base, planned_jobs="0")
    mine = sign_in(Client(), li_xiaoyu).get("/api/v1/incubators/applications").json()
    assert mine[0]["score"] == 40 and mine[0]["key_group"] is True
    assert [line["code"] for line in mine[0]["score_breakdown"]] == ["key_group", "first_business"]
    assert len(sign_in(Client(), ma_chao).get("/api/v1/incubators/applications").json()) == 1


def test_booking_conflict_and_cancellation_over_the_api(li_xiaoyu, zhao_jianguo, ma_chao, base):
    printer = equipment_add(actor=ma_chao, carrier=base, data={"name": "3D打印机"})
    url = f"/api/v1/incubators/equipment/{printer.pk}/bookings"
    body = {"start": "2026-03-03T09:00:00+08:00", "end": "2026-03-03T10:00:00+08:00", "purpose": "打印样品"}
    li = sign_in(Client(), li_xiaoyu)
    created = li.post(url, json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    zhao = sign_in(Client(), zhao_jianguo)
    clash = zhao.post(url, json.dumps(body | {"purpose": "打印外壳"}), content_type="application/json")
    assert clash.status_code == 409 and clash.json()["code"] == "conflict"
    booking_id = created.json()["id"]
    assert zhao.post(f"/api/v1/incubators/bookings/{booking_id}/cancel").status_code == 404
    assert li.post(f"/api/v1/incubators/bookings/{booking_id}/cancel").json()["status"] == "cancelled"
    assert zhao.post(url, json.dumps(body), content_type="application/json").status_code == 201
    calendar = zhao.get(url).json()
    assert [(b["mine"], b["status"]) for b in calendar] == [(True, "active")]
