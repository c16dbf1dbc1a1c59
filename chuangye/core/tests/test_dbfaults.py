"""A database outage answers 503 with Retry-After and a Chinese message (pages and API); other errors stay a 500
or a 400, in Chinese.

The outage is simulated where it strikes in real life: while a middleware loads the session (before any view
runs), inside the API's authentication, and while the session is saved after the view committed (Django's
``SessionInterrupted``, a 400 without these handlers). This module is also the URL configuration of its tests:
the project's routes with the handlers as config/urls.py names them.
"""

from typing import Any
from unittest import mock

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.db import InterfaceError, OperationalError
from django.test import Client, override_settings

from chuangye.accounts.testing import make_citizen, sign_in
from chuangye.core import dbfaults
from chuangye.core.errors import DomainError
from config.urls import handler403, handler404, urlpatterns

handler400 = "chuangye.core.dbfaults.bad_request"
handler500 = "chuangye.core.dbfaults.server_error"
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handlers")]


@pytest.fixture
def handlers() -> Any:
    with override_settings(ROOT_URLCONF=__name__):
        yield


def _client() -> Client:
    return Client(raise_request_exception=False, HTTP_X_FORWARDED_PROTO="https")


def _session_load_fails(error: Exception) -> Any:
    return mock.patch("django.contrib.sessions.middleware.SessionMiddleware.process_request", side_effect=error)


def _assert_unavailable_page(response: Any) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(dbfaults.RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "系统暂时无法访问数据库" in page and "我的办件" in page
    assert "Server Error" not in page and "Bad Request" not in page and "Traceback" not in page


@pytest.mark.parametrize(
    "error",
    [
        OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused'),
        InterfaceError("connection already closed"),
    ],
)
def test_page_during_outage_is_a_chinese_503(error: Exception) -> None:
    with _session_load_fails(error):
        response = _client().get("/")
    _assert_unavailable_page(response)
    assert "127.0.0.1" not in response.content.decode()


def test_session_lost_with_the_database_after_the_view_is_a_503_not_a_400() -> None:
    """The view ran (and may have committed); only saving the session failed. Django alone says 400."""

    def save_fails(*args: object, **kwargs: object) -> None:
        try:
            raise OperationalError("consuming input failed: server closed the connection unexpectedly")
        except OperationalError:
            raise UpdateError  # noqa: B904 - exactly what the database session backend does

    citizen = make_citizen("dbf", "林小雨", phone="13800000077", region_code="510104", birth="1999-03-08", sex="F")
    client = sign_in(_client(), citizen)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.save", side_effect=save_fails):
        response = client.get("/me/cases/")
    _assert_unavailable_page(response)


def test_api_during_outage_is_the_json_error_shape() -> None:
    failing = mock.patch(
        "chuangye.accounts.api.TokenAuth.authenticate", side_effect=OperationalError("the database is shutting down")
    )
    with failing:
        response = _client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer cy_abcd_secret")
    assert response.status_code == 503
    assert response["Retry-After"] == str(dbfaults.RETRY_AFTER_SECONDS)
    body = response.json()
    assert body["code"] == "service_unavailable"
    assert "Idempotency-Key" in body["message"] and "数据库" in body["message"]
    assert body["errors"] == []


def test_other_errors_stay_500_in_chinese() -> None:
    with _session_load_fails(RuntimeError("a bug, not an outage")):
        page = _client().get("/")
    assert page.status_code == 500 and "Retry-After" not in page
    assert "系统出错了" in page.content.decode() and "a bug" not in page.content.decode()
    failing = mock.patch("chuangye.accounts.api.TokenAuth.authenticate", side_effect=RuntimeError("a bug"))
    with failing:
        api = _client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer cy_abcd_secret")
    assert api.status_code == 500 and api.json()["code"] == "server_error"


def test_bad_requests_stay_400_in_chinese() -> None:
    response = _client().get("/", HTTP_HOST="not-an-allowed-host.example")
    assert response.status_code == 400
    assert "请求无法处理" in response.content.decode() and "Retry-After" not in response


def test_without_the_handlers_django_answers_an_outage_with_a_bare_500() -> None:
    """Why the handlers are needed."""
    import config.urls

    if hasattr(config.urls, "handler500"):
        pytest.skip("config/urls.py already names the handlers")
    with override_settings(ROOT_URLCONF="config.urls"), _session_load_fails(OperationalError("shutting down")):
        response = _client().get("/")
    assert response.status_code == 500 and "Server Error (500)" in response.content.decode()


def test_outage_found_through_the_exception_chain() -> None:
    try:
        try:
            raise OperationalError("terminating connection due to administrator command")
        except OperationalError as inner:
            raise DomainError("办件保存失败") from inner
    except DomainError as outer:
        assert dbfaults.is_database_unavailable(outer)
    assert not dbfaults.is_database_unavailable(DomainError("普通的校验错误"))
    assert not dbfaults.is_database_unavailable(None)
