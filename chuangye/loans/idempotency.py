"""Idempotent money requests from partners (IETF ``Idempotency-Key``).

A partner must send a key with every money request. The first request with a key runs and its response is stored
under (organisation, key) in the same transaction as the money it moved; the same key with the same body replays
that response; the same key with a different body is refused (422). Concurrent duplicates meet at the database's
unique index: on PostgreSQL the second insert waits for the first transaction and then replays its committed
response; on SQLite writers are serialised (``BEGIN IMMEDIATE``) with the same outcome. A request that fails
stores nothing, so a corrected retry with the same key runs.
"""

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.loans.models import IdempotencyRecord

HEADER = "Idempotency-Key"
_KEY = re.compile(r"^[\x21-\x7e]{1,80}$")  # visible ASCII, as the draft's examples; at most 80 characters


def request_hash(operation: str, body: Any) -> str:
    canonical = json.dumps({"operation": operation, "body": body}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _claim(organisation_id: int, key: str, operation: str, digest: str) -> tuple[IdempotencyRecord, bool]:
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                organisation_id=organisation_id, key=key, operation=operation, request_hash=digest
            )
            return record, True
    except IntegrityError:
        # Another request holds (or held) this key. Its transaction has committed by now (the insert waited for
        # it), so its stored response is visible.
        return IdempotencyRecord.objects.select_for_update().get(organisation_id=organisation_id, key=key), False


def run_idempotent(
    request: HttpRequest,
    *,
    operation: str,
    body: Any,
    action: Callable[[str], tuple[int, dict[str, Any]]],
    key: str | None = None,
) -> tuple[int, dict[str, Any], bool]:
    """Run ``action(key)`` at most once per partner key (the ``Idempotency-Key`` header unless ``key`` is given).
    Returns (status, response body, replayed)."""
    key = (request.headers.get(HEADER, "") if key is None else key).strip()
    return run_once(request.user, key=key, operation=operation, body=body, action=action)


def run_once(
    user: Any, *, key: str, operation: str, body: Any, action: Callable[[str], tuple[int, dict[str, Any]]]
) -> tuple[int, dict[str, Any], bool]:
    """``run_idempotent`` for callers without a request (a spreadsheet row carries its own key)."""
    partner = getattr(user, "role", None) == Role.PARTNER
    if not key:
        if partner:
            raise DomainError(
                f"合作机构报送资金类请求须带 {HEADER} 请求头（每笔业务唯一，重试时保持不变）",
                code="idempotency_key_required",
                status=400,
            )
        with transaction.atomic():
            status, response = action("")
        return status, response, False
    if not _KEY.match(key):
        raise DomainError(f"{HEADER} 应为1至80个可见ASCII字符", code="idempotency_key_invalid", status=400)
    if not getattr(user, "organisation_id", None):
        raise DomainError(f"{HEADER} 仅适用于合作机构账户", code="idempotency_key_invalid", status=400)
    digest = request_hash(operation, body)
    with transaction.atomic():
        record, fresh = _claim(user.organisation_id, key, operation, digest)
        if not fresh:
            if record.request_hash != digest:
                raise DomainError(
                    f"该 {HEADER} 已用于内容不同的请求，请为新业务使用新的键", code="idempotency_key_reused", status=422
                )
            return record.status, record.response, True
        status, response = action(key)
        record.status, record.response = status, response
        record.save(update_fields=["status", "response"])
    return status, response, False
