"""Error pages for when the database cannot be reached: 503 with ``Retry-After`` and a Chinese message.

While PostgreSQL restarts, fails over or refuses connections, a request that touches it fails with Django's
``OperationalError`` or ``InterfaceError``, and Django answers with its bare English "Server Error (500)" page
(there is no 500 template), so a citizen sees a crash and an API client cannot tell a passing outage from a bug.
Worse, when the outage strikes after the view committed, while the session is saved, Django raises
``SessionInterrupted`` and answers "Bad Request (400)": a client that was told "your request is wrong" does not
retry, although its submission went through.

These are the project's ``handler500`` and ``handler400`` (config/urls.py): Django calls them with the exception
being handled, so they answer 503 (``Retry-After``, no caching) when a database error is the cause, anywhere in the
exception's chain, and a plain Chinese 500 or 400 otherwise. Pages get a static HTML page that needs neither the
database nor a template; the API gets its one JSON error shape. Whether a write stopped by the outage was
committed is unknown to the server, so the message says to retry (money requests with the same ``Idempotency-Key``,
which replays instead of booking twice) or to look before submitting again.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

RETRY_AFTER_SECONDS = 5
UNAVAILABLE_API_MESSAGE = (
    "数据库暂时无法访问，本次请求未完成或结果未知。"
    "请稍后重试；资金类请求请使用相同的 Idempotency-Key 重试，不会重复记账。"
)
UNAVAILABLE_TITLE = "系统暂时无法访问数据库"
UNAVAILABLE_TEXT = (
    "本次操作可能没有完成。请稍候片刻再刷新页面或重试；如果刚提交过申请，请先到“我的办件”查看是否已经受理。"
    f"建议 {RETRY_AFTER_SECONDS} 秒后重试。"
)
SERVER_ERROR_TITLE = "系统出错了"
SERVER_ERROR_TEXT = "处理请求时发生内部错误，已记录在系统日志中。请稍后再试；如果问题持续，请联系经办机构。"
BAD_REQUEST_TITLE = "请求无法处理"
BAD_REQUEST_TEXT = "请求的格式不正确或已失效。请返回上一页，刷新后重新操作。"
# The pages load nothing, so the strictest policy fits.
_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def is_database_unavailable(exc: BaseException | None) -> bool:
    """True when ``exc``, or an exception it was raised from or while handling, says the database failed."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _page(title: str, text: str) -> str:
    return (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} · 创业服务平台</title></head><body><main>"
        f'<h1>{title}</h1><p>{text}</p><p><a href="/">返回首页</a></p></main></body></html>'
    )


def _respond(request: HttpRequest, status: int, code: str, message: str, title: str, text: str) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        body = {"code": code, "message": message, "errors": []}
        response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(_page(title, text), status=status, content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = _CSP
    response["Cache-Control"] = "no-store"
    return response


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 for a request a database outage stopped."""
    response = _respond(
        request, 503, "service_unavailable", UNAVAILABLE_API_MESSAGE, UNAVAILABLE_TITLE, UNAVAILABLE_TEXT
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: Django calls it while handling the exception, so ``sys.exc_info`` names the cause."""
    if is_database_unavailable(sys.exc_info()[1]):
        return unavailable(request)
    return _respond(request, 500, "server_error", SERVER_ERROR_TEXT, SERVER_ERROR_TITLE, SERVER_ERROR_TEXT)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler400``: a session that could not be saved because the database went away is an outage, not a bad
    request (the view may well have committed); anything else is the client's."""
    if is_database_unavailable(exception):
        return unavailable(request)
    return _respond(request, 400, "bad_request", BAD_REQUEST_TEXT, BAD_REQUEST_TITLE, BAD_REQUEST_TEXT)
