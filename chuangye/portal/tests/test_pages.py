import pytest
from django.db import connection
from django.urls import reverse

from chuangye.accounts.models import Role, User

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


def test_workbench_needs_login_then_shows_the_scope(client):
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    User.objects.create_user("officer_jj", password="Chuangye#2026demo", role=Role.OFFICER, region_code="510104")
    response = client.post("/login/", {"username": "officer_jj", "password": "Chuangye#2026demo"})
    assert response.status_code == 302
    page = client.get(reverse("workbench:home")).content.decode()
    assert "四川省成都市锦江区（510104）" in page


def test_a_wrong_password_gets_a_chinese_refusal(client):
    User.objects.create_user("officer_jj", password="Chuangye#2026demo", role=Role.OFFICER, region_code="510104")
    response = client.post("/login/", {"username": "officer_jj", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
