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


def proactive_grant_open(*, person: Any, policy_code: str, on: dt.date) -> Any:
    """免申即享: open the confirmation case for a person the scan found eligible, with the decision recorded from the
    registry's facts. Idempotent: a person has at most one such case per policy (None when one exists already)."""
    from chuangye.cases.actions import case_submit
    from chuangye.inbox.actions import notify
    from chuangye.policies.case_types import CASE_TYPE
    from chuangye.policies.catalogue import get_policy
    from chuangye.policies.models import ProactiveGrant
    from chuangye.registry.facts import person_facts

    if ProactiveGrant.objects.filter(person=person, policy_code=policy_code).exists():
        return None
    with transaction.atomic():
        decision = decision_record(
            policy_code=policy_code,
            facts=person_facts(person, on),
            on=on,
            region_code=person.region_code,
            subject_type="registry.Person",
            subject_id=str(person.pk),
        )
        if not decision.eligible:  # the registry changed since the scan's batch was read
            return None

        def payload(case: Any) -> None:
            ProactiveGrant.objects.create(
                case=case,
                person=person,
                policy_code=policy_code,
                amount=decision.amount,
                found_on=on,
                decision=decision,
            )

        case, created = case_submit(
            case_type_code=CASE_TYPE,
            applicant_user=person.user,
            accepting_region=person.region_code,
            deciding_region=person.region_code,
            person=person,
            idempotency_key=f"grant:{policy_code}:{person.pk}",
            build_payload=payload,
        )
    if created and person.user is not None:
        title = get_policy(policy_code).title
        amount = f"（{decision.amount:.2f} 元）" if decision.amount is not None else ""
        notify(
            person.user,
            f"「{title}」免申即享：无需申请",
            f"经系统比对，您符合「{title}」的条件{amount}，工作人员核对后即为您办理，无需提交申请。"
            f"办件编号 {case.number}。",
            link=f"/me/cases/{case.pk}/",
            sms=True,
            dedupe_key=f"grant:{policy_code}:{person.pk}",
        )
    return case if created else None


def proactive_grant_decided(*, case: Any, actor: Any) -> None:
    """The officer confirmed or declined a 免申即享 case: on confirmation, record the decision as of that day (the
    guard has just checked it); tell the person either way (with the officer's reason when declined)."""
    from chuangye.inbox.actions import notify
    from chuangye.policies.catalogue import get_policy
    from chuangye.registry.facts import person_facts

    grant = case.proactive_grant
    title = get_policy(grant.policy_code).title
    if case.state == "granted":
        today = timezone.localdate()
        grant.confirmed_decision = decision_record(
            policy_code=grant.policy_code,
            facts=person_facts(grant.person, today),
            on=today,
            region_code=case.region_code,
            subject_type="cases.Case",
            subject_id=str(case.pk),
            actor=actor,
        )
        grant.amount = grant.confirmed_decision.amount
        grant.save(update_fields=["confirmed_decision", "amount"])
        body = f"「{title}」已核对确认，将按规定发放" + (
            f"，金额 {grant.amount:.2f} 元。" if grant.amount is not None else "。"
        )
    else:
        reason = case.events.filter(to_state="declined").values_list("comment", flat=True).last() or ""
        body = f"「{title}」经核对不予发放。理由：{reason}"
    if case.applicant_user is not None:
        notify(case.applicant_user, f"办件 {case.number} 已办结", body, link=f"/me/cases/{case.pk}/")
