# ruff: noqa: S101 - pytest tests and Schemathesis checks report failures through assert
"""Schemathesis against the OpenAPI document, as anonymous, citizen, officer and bank (issue 14, item 2; ADR 0017).

For every operation and persona, Hypothesis draws requests from the document (valid ones and deliberately invalid
ones), sends them in-process to the WSGI application, and checks: no 5xx, the status code is documented, the content
type and body match the document, and every 4xx carries the error shape ``{code, message, errors}`` with a message in
Chinese. Path parameters name real rows of the route-access cast half of the time, so the scope checks and the happy
paths are reached, not only the 404s.

``FUZZ_EXAMPLES`` (default 3) sets the examples per operation, persona and mode; the seed is fixed (derandomize), so
a failure replays exactly. A longer run: ``FUZZ_EXAMPLES=200 .venv/bin/pytest fuzz``.
"""

import os
import re
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from chuangye.accounts.actions import api_token_issue
from chuangye.accounts.testing import sign_in
from config.api import api
from config.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# Who calls: nobody, 李晓雨 (citizen, browser session), 王芳 (锦江区 officer, session after the second factor) and
# 黄磊's bank system (a partner token holding every scope the API knows).
PERSONAS = ["anonymous", "li", "wang_fang", "huang_lei"]
TOKEN_SCOPES = [
    "incubators:read",
    "incubators:write",
    "loans:read",
    "loans:write",
    "people:read",
    "reporting:read",
]
# Operations not fuzzed, each with its reason (also listed in ADR 0017). Empty: nothing is skipped.
SKIPPED: dict[str, str] = {}
CHINESE = re.compile(r"[\u4e00-\u9fff]")
SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def chinese_refusal(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx is the API's error shape, and its message says what went wrong in Chinese."""
    if not 400 <= response.status_code < 500:
        return None
    assert "json" in response.headers.get("content-type", [""])[0], f"拒绝不是 JSON：{response.content[:200]!r}"
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"code", "message", "errors"}, f"不是统一的错误格式：{body!r}"
    assert isinstance(body["code"], str) and body["code"], f"缺少错误代码：{body!r}"
    assert CHINESE.search(str(body["message"])), f"错误消息不是中文：{body['message']!r}"
    for error in body["errors"]:
        assert CHINESE.search(str(error.get("message", ""))), f"字段错误消息不是中文：{error!r}"
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    chinese_refusal,
]


def credentials(persona: str, users: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and cookies that make a request come from ``persona``."""
    if persona == "anonymous":
        return {}, {}
    if persona == "huang_lei":
        _, key = api_token_issue(actor=None, user=users[persona], name="模糊测试", scopes=TOKEN_SCOPES)
        return {"Authorization": f"Bearer {key}"}, {}
    client = sign_in(Client(), users[persona])
    # A browser session needs the CSRF pair on unsafe methods, as a real page's fetch would send it.
    csrf = _get_new_csrf_string()
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    cookies[settings.CSRF_COOKIE_NAME] = csrf
    return {"X-CSRFToken": csrf}, cookies


def fuzz_operation(
    operation: Any, mode: GenerationMode, auth: tuple, real_ids: dict[str, list[int]], seen: dict[int, set[str]]
) -> None:
    headers, cookies = auth

    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def run(case: Any, data: Any) -> None:
        for name in list(case.path_parameters or {}):
            ids = real_ids.get(name)
            if ids and mode.is_positive and data.draw(st.booleans(), label=f"real {name}"):
                case.path_parameters[name] = data.draw(st.sampled_from(ids), label=name)
        cache.clear()  # rate-limit counters: a refusal for speed is documented, but would hide everything else
        response = case.call(app=application, headers=headers, cookies=cookies)
        seen.setdefault(response.status_code, set()).add(operation.label)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


def _summary(exc: BaseException) -> str:
    """The failing checks and the request that reproduces them, without Hypothesis's exception-group wrapping."""
    lines = [line.strip(" |+-") for line in str(exc).splitlines()]
    return "\n    ".join(line for line in lines if line)[:1500]


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_fuzz(persona, cast):
    users, objects = cast
    real_ids = {name: sorted(obj.pk for obj in by_key.values()) for name, by_key in objects.items()}
    auth = credentials(persona, users)
    failures = []
    seen: dict[int, set[str]] = {}  # status code → operations that answered it
    for operation in OPERATIONS:
        if operation.label in SKIPPED:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz_operation(operation, mode, auth, real_ids, seen)
            except Unsatisfiable:
                # Nothing in the document can be made invalid (e.g. no parameters at all): no negative case exists.
                assert mode == GenerationMode.NEGATIVE, operation.label
            except (Exception, BaseExceptionGroup) as exc:  # collect all, report together
                failures.append(f"{operation.label} [{mode.value}]: {_summary(exc)}")
    assert not failures, f"{len(failures)} 项失败：\n\n" + "\n\n".join(failures)
    # The pass must not be vacuous: signed-in personas are never refused as anonymous, and many operations answer
    # with success, not only with refusals.
    answered = set().union(*(labels for status, labels in seen.items() if status < 300))
    if persona != "anonymous":
        assert 401 not in seen, f"{persona} 的凭据无效：{sorted(seen[401])}"
        assert len(answered) >= 10, f"{persona} 只有 {len(answered)} 个操作返回成功：{sorted(answered)}"
    else:
        assert answered, "匿名访问公开接口没有任何成功响应"


def test_skipped_operations_exist():
    labels = {operation.label for operation in OPERATIONS}
    assert set(SKIPPED) <= labels
