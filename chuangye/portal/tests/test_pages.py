import pytest
from django.db import connection
from django.urls import reverse

from chuangye.accounts.models import Role, User
from chuangye.registry.models import Person

pytestmark = pytest.mark.django_db


def test_portal_home_is_in_chinese_with_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "创业推进行动八项计划" in html
    assert "<script>" not in html  # no inline scripts: the CSP would block them
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_vendored_assets_are_served_locally(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "http://" not in html and "https://" not in html  # nothing from a CDN


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_says_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_workbench_needs_login(client):
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_citizen_signs_in_and_sees_only_masked_identifiers(client):
    user = User.objects.create_user("c1", password="Chuangye#2026demo", role=Role.CITIZEN, real_name="李晓雨")
    user.set_phone("13800000001")
    user.save()
    person = Person(name="李晓雨", sex="F", birth_date="2002-05-14", hukou_region_code="510104", region_code="510104")
    person.set_id_number("510104200205140144")
    person.user = user
    person.save()
    response = client.post("/login/", {"username": "13800000001", "password": "Chuangye#2026demo"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    page = client.get("/me/").content.decode()
    assert "5101**********0144" in page and "510104200205140144" not in page
    assert "138****0001" in page and "13800000001" not in page


def test_a_wrong_password_gets_a_chinese_refusal(client):
    User.objects.create_user("officer_jj", password="Chuangye#2026demo", role=Role.OFFICER, region_code="510104")
    response = client.post("/login/", {"username": "officer_jj", "password": "wrong"})
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()
