"""The audit trail: ``record_event`` appends a hash-chained row; ``verify_chains`` finds edited or missing rows.

Each row's hash covers its own fields and the previous row's hash, so changing or deleting any row (or the chain's
tail) breaks the chain from that point. Rows are written inside the caller's transaction: an action that rolls back
leaves no audit row claiming it happened.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.core.models import AuditChain, AuditEvent

NATIONAL_CHAIN = "00"


def _canonical(event: AuditEvent) -> bytes:
    occurred = event.occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = [
        event.chain,
        event.seq,
        occurred,
        event.actor_id,
        event.actor_label,
        event.actor_role,
        event.region_code,
        event.action,
        event.object_type,
        event.object_id,
        event.outcome,
        event.ip,
        event.details,
        event.prev_hash,
    ]
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR only: a forwarded-for header is whatever the client wrote unless a trusted proxy set it.
    return request.META.get("REMOTE_ADDR") or None


def _json_safe(details: dict[str, Any]) -> dict[str, Any]:
    # Round-trip through JSON so that what is hashed is exactly what the database hands back later.
    loaded: dict[str, Any] = json.loads(json.dumps(details, ensure_ascii=False, default=str))
    return loaded


def _lock_chain(name: str) -> AuditChain:
    try:
        with transaction.atomic():
            AuditChain.objects.get_or_create(name=name)
    except IntegrityError:
        pass  # created concurrently by another writer
    return AuditChain.objects.select_for_update().get(name=name)


def record_event(
    action: str,
    *,
    actor: Any = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    object_type: str = "",
    object_id: object = "",
    region_code: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one audit event. ``actor`` is a user (or None for the system); never pass secrets in ``details``."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    region = region_code or (getattr(actor, "region_code", "") if authenticated else "") or ""
    # One chain per region code (decision 0004): writers in different counties never wait for each other, and the
    # chain is named by the same code the region's data is sharded by.
    chain_name = region[:6] if region else NATIONAL_CHAIN
    with transaction.atomic():
        chain = _lock_chain(chain_name)
        event = AuditEvent(
            chain=chain_name,
            seq=chain.seq + 1,
            occurred_at=timezone.now(),
            actor_id=actor.pk if authenticated else None,
            actor_label=actor.get_username() if authenticated else "",
            actor_role=getattr(actor, "role", "") if authenticated else "",
            region_code=region,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            outcome=outcome,
            ip=client_ip(request),
            details=_json_safe(details or {}),
            prev_hash=chain.head_hash,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        chain.seq, chain.head_hash = event.seq, event.hash
        chain.save(update_fields=["seq", "head_hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    chain: str
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"审计链 {self.chain} 第 {self.seq} 条：{self.problem}"


def verify_chain(chain: AuditChain) -> Iterator[ChainProblem]:
    """Walk one chain in order and report every place where the stored rows disagree with the hashes."""
    expected_seq, prev_hash = 1, ""
    for event in AuditEvent.objects.filter(chain=chain.name).order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            yield ChainProblem(chain.name, expected_seq, f"缺失（下一条为第 {event.seq} 条），记录被删除")
        elif event.prev_hash != prev_hash:
            yield ChainProblem(chain.name, event.seq, "与前一条记录的哈希不衔接，前面的记录被删除或修改")
        if compute_hash(event) != event.hash:
            yield ChainProblem(chain.name, event.seq, "内容与哈希不符，记录被修改")
        expected_seq, prev_hash = event.seq + 1, event.hash
    if expected_seq - 1 != chain.seq or prev_hash != chain.head_hash:
        yield ChainProblem(chain.name, chain.seq, "链尾与链头记录不符，最后的记录被删除或修改")


def verify_chains() -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    for chain in AuditChain.objects.order_by("name"):
        problems.extend(verify_chain(chain))
    return problems
