"""API refusals found by the fuzzing pass (ADR 0017): each must be the error shape with a Chinese message."""

import pytest
from django.test import Client

from chuangye.accounts.testing import sign_in

pytestmark = pytest.mark.django_db


def test_anonymous_post_without_csrf_is_unauthenticated_not_a_csrf_refusal():
    response = Client(enforce_csrf_checks=True).post("/api/v1/people", data="{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_session_post_without_csrf_is_refused_in_chinese(wang_fang):
    client = sign_in(Client(enforce_csrf_checks=True), wang_fang)
    response = client.post("/api/v1/people", data="{}", content_type="application/json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden"
    assert "CSRF" in body["message"] and "安全校验失败" in body["message"]
