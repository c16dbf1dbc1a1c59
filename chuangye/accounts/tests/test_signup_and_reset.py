"""Citizen sign-up with real name and phone code, password reset by phone, and their abuse limits."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from chuangye.accounts import sms
from chuangye.accounts.models import Role, User
from chuangye.core.ids import generate_resident_id
from chuangye.registry.models import Person

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
LIU_ID = generate_resident_id("510107", dt.date(2001, 3, 8), "F", 40)


def form(**overrides):
    data = {
        "name": "刘雨桐",
        "id_number": LIU_ID,
        "phone": "13900000009",
        "code": "",
        "password": "Chuangye#2026liu",
        "password2": "Chuangye#2026liu",
        "action": "register",
    }
    return {**data, **overrides}


@pytest.fixture(autouse=True)
def _send_after_each_request(monkeypatch, django_capture_on_commit_callbacks):
    """Text messages go out after commit; tests run inside one transaction, so run the callbacks per request."""
    original = Client.post

    def post(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post)


def last_code() -> str:
    return re.search(r"验证码 (\d{6})", sms.outbox[-1].text).group(1)


def test_a_graduate_signs_up_with_a_phone_code(client):
    response = client.post("/account/signup/", form(action="send_code"))
    assert "验证码已发送" in response.content.decode()
    assert sms.outbox[-1].phone == "13900000009"
    response = client.post("/account/signup/", form(code=last_code(), role="officer", is_superuser="on"))
    assert response.status_code == 302 and response["Location"] == "/me/"
    user = User.objects.get(real_name="刘雨桐")
    assert user.role == Role.CITIZEN and not user.is_superuser  # no mass assignment
    assert user.person.birth_date == dt.date(2001, 3, 8) and user.person.sex == "F"
    assert "刘雨桐" in client.get("/me/").content.decode()


def test_wrong_code_then_expired_code(client):
    with time_machine.travel(START, tick=False) as clock:
        client.post("/account/signup/", form(action="send_code"))
        wrong = client.post("/account/signup/", form(code="000000" if last_code() != "000000" else "111111"))
        assert "「验证码」不正确" in wrong.content.decode()
        clock.shift(dt.timedelta(minutes=6))
        expired = client.post("/account/signup/", form(code=last_code()))
        assert "「验证码」已失效" in expired.content.decode()
    assert not User.objects.filter(real_name="刘雨桐").exists()


def test_codes_cannot_be_requested_more_than_once_a_minute(client):
    client.post("/account/signup/", form(action="send_code"))
    again = client.post("/account/signup/", form(action="send_code"))
    assert "过于频繁" in again.content.decode()
    assert len(sms.outbox) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", LIU_ID[:-1] + ("0" if LIU_ID[-1] != "0" else "1"), "「身份证号」校验位不正确"),
        ("phone", "12345", "「手机号」应为11位"),
        ("password", "short", "密码"),
    ],
)
def test_bad_sign_up_input_names_the_field(client, field, value, message):
    client.post("/account/signup/", form(action="send_code"))
    data = form(code=last_code(), **{field: value})
    if field == "password":
        data["password2"] = value
    page = client.post("/account/signup/", data).content.decode()
    assert message in page
    assert not User.objects.filter(real_name="刘雨桐").exists()


def test_the_name_must_match_the_registry(client):
    person = Person(name="刘雨桐", sex="F", birth_date="2001-03-08", hukou_region_code="510107", region_code="510107")
    person.set_id_number(LIU_ID)
    person.save()
    client.post("/account/signup/", form(action="send_code"))
    page = client.post("/account/signup/", form(name="刘雨", code=last_code())).content.decode()
    assert "与身份证号登记的姓名不一致" in page
    client.post("/account/signup/", form(action="send_code", phone="13900000010"))
    client.post("/account/signup/", form(phone="13900000010", code=last_code()))
    person.refresh_from_db()
    assert person.user.real_name == "刘雨桐"  # the existing record is linked, not duplicated
    assert Person.objects.count() == 1


def test_a_phone_can_register_only_once(client, li_xiaoyu):
    client.post("/account/signup/", form(action="send_code", phone="13800000001"))
    page = client.post("/account/signup/", form(phone="13800000001", code=last_code())).content.decode()
    assert "「手机号」已注册" in page


def test_password_reset_by_phone_ends_other_sessions(li_xiaoyu):
    other_device = Client()
    other_device.post("/login/", {"username": "13800000001", "password": "Chuangye#2026test"})
    assert other_device.get("/me/").status_code == 200
    client = Client()
    client.post("/account/password/reset/", {"phone": "13800000001", "action": "send_code"})
    data = {"phone": "13800000001", "code": last_code(), "password": "Xinmima#2026li", "password2": "Xinmima#2026li"}
    assert "密码已重置" in client.post("/account/password/reset/", data).content.decode()
    assert other_device.get("/me/").status_code == 302
    assert client.post("/login/", {"username": "13800000001", "password": "Xinmima#2026li"}).status_code == 302


def test_reset_does_not_reveal_whether_a_phone_is_registered(client):
    page = client.post("/account/password/reset/", {"phone": "13700000000", "action": "send_code"})
    assert "如该手机号已注册，验证码已发送" in page.content.decode()
    assert sms.outbox == []
