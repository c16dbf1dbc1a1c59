"""Login security (QUALITY.md, identity and sessions): lockout, idle timeout, session rotation and ending,
the second factor, password policy and expiry."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from chuangye.accounts import actions
from chuangye.accounts.models import Role, User
from chuangye.accounts.testing import PASSWORD, make_user, sign_in
from chuangye.core.models import AuditEvent

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def password_step(client: Client, username: str, password: str = PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def test_five_failures_lock_the_account_for_fifteen_minutes(li_xiaoyu, client):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(4):
            assert password_step(client, "13800000001", "wrong-password").status_code == 200
        assert password_step(client, "13800000001", "wrong-password").status_code == 429  # the fifth locks
        locked = password_step(client, "13800000001")
        assert locked.status_code == 429
        assert "账户已临时锁定" in locked.content.decode()
        # Trying the same account through its ID number is the same account: still locked.
        assert password_step(client, li_xiaoyu.person.id_number).status_code == 429
        assert AuditEvent.objects.filter(action="login.locked_out").exists()
        assert AuditEvent.objects.filter(action="login.failed", outcome="failure").count() >= 5
        clock.shift(dt.timedelta(minutes=16))
        response = password_step(client, "13800000001")
        assert response.status_code == 302 and response["Location"] == "/me/"


def test_idle_sessions_expire_after_thirty_minutes(li_xiaoyu, client):
    with time_machine.travel(START, tick=False) as clock:
        password_step(client, "13800000001")
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/me/").status_code == 200  # activity slides the expiry
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/me/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/me/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_session_key_changes_at_login(li_xiaoyu, client):
    client.get("/login/")
    client.cookies["sessionid"] = "attacker-chosen-session-key"
    password_step(client, "13800000001")
    assert client.cookies["sessionid"].value != "attacker-chosen-session-key"
    assert client.get("/me/").status_code == 200


def test_logout_ends_every_session_and_the_old_cookie_is_refused(li_xiaoyu):
    phone, laptop = Client(), Client()
    password_step(phone, "13800000001")
    password_step(laptop, "13800000001")
    old_cookie = laptop.cookies["sessionid"].value
    assert laptop.post("/logout/").status_code == 302
    assert phone.get("/me/").status_code == 302  # the other device is signed out too
    replay = Client()
    replay.cookies["sessionid"] = old_cookie
    assert replay.get("/me/").status_code == 302
    assert AuditEvent.objects.filter(action="account.logout", actor_id=li_xiaoyu.pk).exists()


def test_deactivation_ends_sessions_at_once(wang_fang, client):
    sign_in(client, wang_fang)
    assert client.get("/workbench/").status_code == 200
    actions.user_deactivate(actor=None, user=wang_fang)
    assert client.get("/workbench/").status_code == 302
    assert password_step(Client(), "wangfang").status_code == 200  # and no new login


def test_staff_password_alone_gives_no_session(wang_fang, client):
    response = password_step(client, "wangfang")
    assert response.status_code == 302 and response["Location"].startswith("/login/otp/")
    assert "_auth_user_id" not in client.session
    assert client.get("/workbench/").status_code == 302
    assert client.get("/api/v1/me").status_code == 401


def test_staff_login_with_totp_and_a_code_works_only_once(wang_fang):
    with time_machine.travel(START, tick=False):
        first = Client()
        password_step(first, "wangfang")
        code = current_code(wang_fang)
        response = first.post("/login/otp/", {"token": code})
        assert response.status_code == 302 and response["Location"] == "/workbench/"
        assert "四川省成都市锦江区（510104）" in first.get("/workbench/").content.decode()
        assert first.get("/api/v1/me").json()["region_code"] == "510104"
        second = Client()
        password_step(second, "wangfang")
        reused = second.post("/login/otp/", {"token": code})
        assert reused.status_code == 200
        assert "已使用过" in reused.content.decode()
        assert AuditEvent.objects.filter(action="login.otp_failed").exists()


def test_first_login_enrols_an_authenticator(client):
    newcomer = User(username="newofficer", role=Role.OFFICER, region_code="510104")
    newcomer.set_password(PASSWORD)
    newcomer.save()
    password_step(client, "newofficer")
    page = client.get("/login/otp/").content.decode()
    assert "绑定身份验证器" in page and "data:image/svg+xml" in page
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    assert client.post("/login/otp/", {"token": code}).status_code == 302
    assert TOTPDevice.objects.get(user=newcomer).confirmed


@pytest.mark.parametrize("password", ["Passw0rd!", "chuangye2026abc", "12345678901", "password1234"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, User(username="x", role=Role.OFFICER))


def test_a_strong_password_passes_and_is_stored_with_argon2(settings):
    from config import settings as base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    validate_password("Chuangye#2026ok", User(username="x"))
    user = make_user("hashcheck", Role.CITIZEN)
    assert user.password.startswith("argon2")


def test_an_expired_staff_password_forces_a_change(wang_fang, client):
    User.objects.filter(pk=wang_fang.pk).update(password_changed_at=START - dt.timedelta(days=91))
    with time_machine.travel(START, tick=False):
        sign_in(client, User.objects.get(pk=wang_fang.pk))
        response = client.get("/workbench/")
        assert response.status_code == 302 and response["Location"] == "/account/password/"
        changed = client.post(
            "/account/password/",
            {"old_password": PASSWORD, "new_password": "Xinmima#2026a", "new_password2": "Xinmima#2026a"},
        )
        assert changed.status_code == 302
        assert client.get("/workbench/").status_code == 200


def test_citizen_passwords_do_not_expire(li_xiaoyu, client):
    User.objects.filter(pk=li_xiaoyu.pk).update(password_changed_at=START - dt.timedelta(days=400))
    with time_machine.travel(START, tick=False):
        sign_in(client, User.objects.get(pk=li_xiaoyu.pk))
        assert client.get("/me/").status_code == 200


def test_only_the_system_administrator_may_be_superuser():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        User.objects.create(username="root", role=Role.OFFICER, region_code="510104", is_superuser=True)
