"""The clients of the fault drill (faults/traffic.py): a citizen's browser, the bank's system, the retrying
``submit`` that sends one request until it is acknowledged, the log of what happened and the ledger of
acknowledgements.
"""

import contextlib
import http.cookies
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests

HOST = "chuangye.example.gov.cn"
ORIGIN = f"https://{HOST}"
CASE_LOCATION = re.compile(r"/me/cases/(\d+)/$")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHINESE = re.compile(r"[\u4e00-\u9fff]")
ERROR_BOX = re.compile(r'<div class="error" role="alert">(.*?)</div>', re.S)
RETRYABLE = {429, 500, 502, 503, 504}
GIVE_UP_SECONDS = 150  # one submission's retries; an outage here lasts seconds


def _now() -> float:
    return time.monotonic()


@dataclass
class Log:
    """What every attempt got, per phase: counts of outcomes and one sample of each kind of error response."""

    phase: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    outcomes: dict[str, Counter[str]] = field(default_factory=dict)
    samples: dict[str, dict[str, Any]] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)
    interrupted: int = 0
    replayed_after_error: int = 0

    def note(self, label: str, sample: dict[str, Any] | None = None) -> None:
        with self.lock:
            self.outcomes.setdefault(self.phase, Counter())[label] += 1
            if sample is not None:
                self.samples.setdefault(label, sample)

    def fail(self, message: str) -> None:
        with self.lock:
            self.unexpected.append(f"[{self.phase}] {message}")


LOG = Log()


def _error_label(response: requests.Response) -> tuple[str, dict[str, Any]]:
    """A label for an error response: clear means a Chinese message, no English default page or traceback, and for
    503 a ``Retry-After``."""
    body = response.text
    clear = (
        bool(CHINESE.search(body))
        and not any(marker in body for marker in ("Traceback", "Server Error", "Bad Request"))
        and (response.status_code != 503 or bool(response.headers.get("Retry-After")))
    )
    kind = "JSON" if response.headers.get("Content-Type", "").startswith("application/json") else "HTML"
    hint = "，带 Retry-After" if response.headers.get("Retry-After") else ""
    label = f"{response.status_code} {kind}" + (f"（中文说明{hint}）" if clear else "（无说明）")
    sample = {
        "status": response.status_code,
        "content_type": response.headers.get("Content-Type", ""),
        "retry_after": response.headers.get("Retry-After"),
        "body": body[:400],
    }
    return label, sample


def _message(response: requests.Response) -> str:
    """The Chinese message of a refusal: the API's ``message``, or the page's error box."""
    if response.headers.get("Content-Type", "").startswith("application/json"):
        with contextlib.suppress(ValueError):
            return str(response.json().get("message", ""))
    found = ERROR_BOX.search(response.text)
    return found.group(1) if found else response.text[:300]


def _wait(response: requests.Response | None, tries: int) -> None:
    hinted = response.headers.get("Retry-After", "") if response is not None else ""
    delay = min(float(hinted), 5.0) if hinted.isdigit() else min(0.3 * 2**tries, 3.0)
    time.sleep(delay * random.uniform(0.5, 1.0))  # noqa: S311 - jitter, not secrecy


def _send(method: str, url: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, url, timeout=60, allow_redirects=False, **kwargs)


def submit(method: str, url: str, *, ok: set[int], what: str, **kwargs: Any) -> requests.Response | None:
    """Send until a response in ``ok`` (or a non-retryable one, reported); None after GIVE_UP_SECONDS."""
    deadline, tries, errored = _now() + GIVE_UP_SECONDS, 0, False
    response: requests.Response | None = None
    while _now() < deadline:
        sent_at = time.time()
        try:
            response = _send(method, url, **kwargs)
        except requests.RequestException as error:
            LOG.note("连接中断或被拒绝", {"error": type(error).__name__})
            with LOG.lock:
                LOG.interrupted += 1
            errored, response = True, None
            _wait(None, tries)
            tries += 1
            continue
        if response.status_code in ok:
            LOG.note(f"{response.status_code} 成功")
            response.fault_errored = errored  # type: ignore[attr-defined]
            response.fault_sent_at = sent_at  # type: ignore[attr-defined]  # wall clock, as the server's
            if errored and response.headers.get("Idempotent-Replayed") == "true":
                with LOG.lock:
                    LOG.replayed_after_error += 1  # committed, answer lost with the worker: the retry replays it
            return response
        if response.status_code in RETRYABLE:
            label, sample = _error_label(response)
            LOG.note(label, sample)
            errored = True
            _wait(response, tries)
            tries += 1
            continue
        if response.status_code >= 400:
            label, sample = _error_label(response)
            LOG.note(label, sample)
        LOG.fail(f"{what}: 意外的 {response.status_code}：{_message(response)}")
        return None
    LOG.fail(f"{what}: {GIVE_UP_SECONDS} 秒内未被确认")
    return None


class Browser:
    """A citizen's browser over plain http behind the (simulated) TLS proxy: the cookies are Secure and
    ``__Host-``, so they are kept here rather than in a cookie jar that would refuse to send them."""

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base, self.username, self.password = base, username, password
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def headers(self, path: str) -> dict[str, str]:
        return {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Origin": ORIGIN,
            "Referer": ORIGIN + path,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }

    def absorb(self, response: requests.Response) -> None:
        for raw in response.raw.headers.getlist("Set-Cookie"):
            jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, method: str, path: str, *, ok: set[int], what: str, **kwargs: Any) -> requests.Response | None:
        response = submit(method, self.base + path, ok=ok, what=what, headers=self.headers(path), **kwargs)
        if response is not None:
            self.absorb(response)
        return response

    def login(self) -> None:
        page = self.request("GET", "/login/", ok={200}, what=f"{self.username} 登录页")
        token = CSRF_FIELD.search(page.text) if page is not None else None
        if token is None:
            raise RuntimeError(f"{self.username}：登录页打不开或没有 CSRF 令牌")
        data = {"csrfmiddlewaretoken": token.group(1), "username": self.username, "password": self.password}
        done = self.request("POST", "/login/", ok={302}, what=f"{self.username} 登录", data=data)
        if done is None or done.headers["Location"].startswith("/login"):
            raise RuntimeError(f"{self.username} 未能登录")
        form = self.request("GET", "/me/registration/new/", ok={200}, what="登记申请表")
        found = CSRF_FIELD.search(form.text) if form is not None else None
        if found is None:
            raise RuntimeError(f"{self.username}：登记申请表打不开或没有 CSRF 令牌")
        self.csrf = found.group(1)

    def register(self, key: str) -> tuple[int, bool, float] | None:
        """Submit the form until acknowledged: (case id, whether an earlier attempt failed, when the acknowledged
        attempt was sent)."""
        data = {
            "csrfmiddlewaretoken": self.csrf,
            "form_key": key,
            "kind": "individual",
            "name": f"锦江区故障演练{key[-8:]}小吃店",
            "address": "成都市锦江区红星路二段1号",
            "region_code": "510104",
            "business_scope": "小吃服务；餐饮管理",
            "industry": "H",
            "capital": "30000",
        }
        response = self.request("POST", "/me/registration/new/", ok={302}, what=f"登记申请 {key}", data=data)
        if response is None:
            return None
        match = CASE_LOCATION.search(response.headers.get("Location", ""))
        if match is None:
            LOG.fail(f"登记申请 {key}: 跳转到了 {response.headers.get('Location')}")
            return None
        return int(match.group(1)), response.fault_errored, response.fault_sent_at  # type: ignore[attr-defined]


class Bank:
    """The bank's system: JSON with a bearer token and an Idempotency-Key per business."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def post(self, path: str, body: dict[str, Any], key: str) -> requests.Response | None:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Authorization": f"Bearer {self.token}",
            "Idempotency-Key": key,
        }
        return submit("POST", self.base + path, ok={201}, what=f"{path} {key}", json=body, headers=headers)


@dataclass
class Ledger:
    """Everything the clients sent and were told, across phases."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    registrations: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    disbursements: list[tuple[int, str, int]] = field(default_factory=list)
    disbursement_keys: list[str] = field(default_factory=list)
    disbursement_bodies: dict[str, dict[str, Any]] = field(default_factory=dict)
    repayments: list[tuple[int, str, int]] = field(default_factory=list)
    repayment_keys: list[str] = field(default_factory=list)
    repayment_bodies: dict[str, dict[str, Any]] = field(default_factory=dict)
