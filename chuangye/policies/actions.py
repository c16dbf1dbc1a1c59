"""Every write of the policies app: regional parameter overrides and decision records, each audited."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.core.audit import record_event
from chuangye.core.errors import FieldValueError
from chuangye.core.regions import validate_region_code
from chuangye.policies.decide import decide, parse_on
from chuangye.policies.facts import parse_facts
from chuangye.policies.models import Decision, ParameterOverride
from chuangye.policies.params import display_value, parameter_spec, parse_param_value
from chuangye.policies.resolver import snapshot_for
from chuangye.policies.version import engine_version


def _stored_text(value: Any) -> str:
    return ",".join(value) if isinstance(value, list) else str(value)


def parameter_override_create(
    *,
    actor: Any,
    name: str,
    region_code: str,
    value: Any,
    effective_from: dt.date | str,
    document_number: str,
    request: HttpRequest | None = None,
) -> ParameterOverride:
    """Enter a region's value for a parameter from ``effective_from``, citing ``document_number``; audited.

    Overrides are never edited: a correction is a newer entry for the same name, region and date. Who may call
    this (role and region scope) is decided by the accounts work's access layer; this action checks only the
    entry itself.
    """
    spec = parameter_spec(str(name))
    if spec is None or not spec.overridable:
        raise FieldValueError("name", "参数", f"{name} 不是可由地方调整的政策参数")
    code = validate_region_code(region_code, field="region_code", label="行政区划代码")
    parsed = parse_param_value(spec, value, field="value", label=spec.label)
    start = parse_on(effective_from, field="effective_from", label="施行日期")
    document = str(document_number or "").strip()
    if not document:
        raise FieldValueError("document_number", "文号", "必填")
    if len(document) > 100:
        raise FieldValueError("document_number", "文号", "不能超过100个字符")
    text = _stored_text(display_value(spec, parsed))
    with transaction.atomic():
        row = ParameterOverride.objects.create(
            name=spec.name,
            region_code=code,
            value=text,
            effective_from=start,
            document_number=document,
            created_by=actor,
        )
        record_event(
            "policies.parameter_override_created",
            actor=actor,
            object_type="policies.ParameterOverride",
            object_id=row.pk,
            region_code=code,
            details={"name": spec.name, "value": text, "effective_from": start.isoformat(), "document": document},
            request=request,
        )
    return row


def decision_record(
    *,
    policy_code: str,
    facts: Any,
    on: dt.date,
    region_code: str = "",
    subject_type: str = "",
    subject_id: str = "",
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Decision:
    """Decide and store the decision with everything needed to explain and replay it; audited.

    The parameters are resolved as known at the record's own timestamp, so ``selectors.decision_replay``
    reproduces it exactly even after later overrides.
    """
    canonical = dict(parse_facts(facts).canonical)
    now = timezone.now()
    snapshot = snapshot_for(on=on, region_code=region_code, known_at=now)
    outcome = decide(policy_code, canonical, on=on, region_code=region_code, snapshot=snapshot)
    body = outcome.as_json()
    with transaction.atomic():
        decision = Decision.objects.create(
            policy_code=outcome.policy.code,
            on=on,
            region_code=region_code,
            facts=canonical,
            eligible=outcome.eligible,
            amount=outcome.amount,
            criteria=body["criteria"],
            parameters=body["parameters"],
            note=outcome.amount_note[:200],
            engine_version=engine_version(),
            created_at=now,
            subject_type=subject_type,
            subject_id=str(subject_id),
        )
        record_event(
            "policies.decision_recorded",
            actor=actor,
            object_type="policies.Decision",
            object_id=decision.pk,
            region_code=region_code,
            details={"policy": decision.policy_code, "eligible": decision.eligible, "amount": body["amount"]},
            request=request,
        )
    return decision
