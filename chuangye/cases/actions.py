"""The case engine's state changes: submit, move through transitions, 一次性告知, extension, assignment.

Every change is atomic and audited, checks the actor's role on the case, and uses the case's ``version`` so that
two officers acting at once cannot both succeed: the second gets a clear conflict message.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from chuangye.cases import types
from chuangye.cases.access import roles_on_case
from chuangye.cases.deadlines import due_after, local_date, remaining_workdays
from chuangye.cases.models import Case, CaseEvent, Notice
from chuangye.core.audit import record_event
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.sequences import next_value
from chuangye.inbox.actions import notify


def _case_number(case_type: types.CaseType, region: str, when: dt.datetime) -> str:
    year = local_date(when).year
    seq = next_value(f"case:{case_type.prefix}:{year}:{region}")
    return f"{case_type.prefix}-{year}-{region}-{seq:06d}"


def _log(case: Case, actor: Any, action: str, from_state: str, comment: str = "", role: str = "") -> None:
    CaseEvent.objects.create(
        case=case,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_role=role or getattr(actor, "role", "") or "system",
        action=action,
        from_state=from_state,
        to_state=case.state,
        comment=comment,
    )
    record_event(
        f"case.{action}",
        actor=actor,
        object_type="case",
        object_id=case.number,
        region_code=case.region_code,
        details={"from": from_state, "to": case.state},
    )


def _tell_applicant(case: Case, case_type: types.CaseType, title: str, body: str = "") -> None:
    must_act = case.state in case_type.paused_states or case.state in case_type.final_states
    notify(case.applicant_user, f"{case_type.title}：{title}", body, link=f"/me/cases/{case.pk}/", sms=must_act)


@transaction.atomic
def case_submit(
    *,
    case_type_code: str,
    applicant_user: Any,
    accepting_region: str,
    deciding_region: str,
    person: Any = None,
    business: Any = None,
    idempotency_key: str = "",
    build_payload: Callable[[Case], None] | None = None,
    request: HttpRequest | None = None,
) -> tuple[Case, bool]:
    """Open a case. Returns (case, created). The same applicant, type and idempotency key return the existing case
    instead of a duplicate (a double click or a retried request)."""
    case_type = types.get(case_type_code)
    if idempotency_key:
        existing = Case.objects.filter(
            applicant_user=applicant_user, case_type=case_type.code, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing, False
    now = timezone.now()
    case = Case(
        case_type=case_type.code,
        state=case_type.initial_state,
        applicant_user=applicant_user,
        applicant_person=person,
        applicant_business=business,
        accepting_region=accepting_region,
        region_code=deciding_region,
        service_mode=case_type.service_mode,
        submitted_at=now,
        idempotency_key=idempotency_key,
    )
    if case_type.service_mode == types.ServiceMode.TIME_LIMITED and case_type.time_limit_workdays:
        case.due_at, case.due_provisional = due_after(local_date(now), case_type.time_limit_workdays)
    case.number = _case_number(case_type, deciding_region, now)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        # Two identical submissions raced; the other one won. Hand back its case.
        return Case.objects.get(
            applicant_user=applicant_user, case_type=case_type.code, idempotency_key=idempotency_key
        ), False
    if build_payload is not None:
        build_payload(case)
    _log(case, applicant_user, "submit", "", role=types.APPLICANT)
    _tell_applicant(case, case_type, "已提交", f"办件编号 {case.number}。")
    return case, True


def _guard(case: Case, case_type: types.CaseType, transition: types.Transition, actor: Any, comment: str) -> None:
    if case.state not in transition.sources:
        raise ConflictError(f"当前状态为「{case_type.states[case.state]}」，不能{transition.label}")
    held = roles_on_case(case, actor)
    if not held & transition.roles:
        raise DomainError(f"您不能对该办件执行「{transition.label}」", code="forbidden", status=403)
    if transition.needs_comment and len(comment.strip()) < 2:
        raise FieldValueError("comment", "意见", f"{transition.label}须填写理由")
    if transition.decides:
        if actor.pk == case.applicant_user_id:
            raise DomainError("不能审批自己提交的申请", code="maker_checker", status=403)
        previous = case.events.filter(action__in=_deciding_actions(case_type)).order_by("-at", "-id").first()
        if previous is not None and previous.actor_id == actor.pk:
            raise DomainError("上一级审核人不能再审批同一办件", code="maker_checker", status=403)
    if transition.guard is not None:
        reason = transition.guard(case, actor)
        if reason:
            raise DomainError(reason, code="guard")


def _deciding_actions(case_type: types.CaseType) -> list[str]:
    return [t.action for t in case_type.transitions if t.decides]


@transaction.atomic
def case_transition(
    *,
    case: Case,
    action: str,
    actor: Any,
    comment: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Take one transition. ``expected_version`` is the version the actor saw; if someone acted since, refuse."""
    case_type = types.get(case.case_type)
    transition = case_type.transition(action)
    if transition is None:
        raise DomainError(f"「{case_type.title}」没有这个操作", code="unknown_action")
    fresh = Case.objects.get(pk=case.pk)
    version = fresh.version if expected_version is None else expected_version
    if fresh.version != version:
        raise ConflictError("该办件已被他人处理，请刷新后查看最新状态")
    _guard(fresh, case_type, transition, actor, comment)
    updates: dict[str, Any] = {"state": transition.target, "version": F("version") + 1}
    if transition.target in case_type.final_states:
        updates["decided_at"] = timezone.now()
        updates["deadline_flag"] = ""
    changed = Case.objects.filter(pk=fresh.pk, version=version, state=fresh.state).update(**updates)
    if changed != 1:
        raise ConflictError("该办件已被他人处理，请刷新后查看最新状态")
    previous_state = fresh.state
    fresh.refresh_from_db()
    _log(fresh, actor, action, previous_state, comment)
    if case_type.on_transition is not None:
        case_type.on_transition(fresh, action, actor)
    if fresh.state in case_type.final_states and case_type.on_decided is not None:
        case_type.on_decided(fresh, actor)
    _tell_applicant(fresh, case_type, case_type.states[fresh.state], comment)
    return fresh


@transaction.atomic
def case_issue_notice(
    *,
    case: Case,
    actor: Any,
    items: list[dict[str, str]],
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Notice:
    """一次性告知: list everything missing at once. The clock stops; a second notice in the same round is refused."""
    case_type = types.get(case.case_type)
    clean = [
        {"item": str(i.get("item", "")).strip()[:100], "detail": str(i.get("detail", "")).strip()[:500]}
        for i in items
        if str(i.get("item", "")).strip()
    ]
    if not clean:
        raise FieldValueError("items", "需补正材料", "请列出需要补正的全部材料")
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    # A round runs from one (re)submission to the next: one notice may list everything missing in it, once.
    if Notice.objects.filter(
        case=fresh, round=fresh.notice_round, answered_at__isnull=True, withdrawn_at__isnull=True
    ).exists():
        raise ConflictError("本轮已经一次性告知，不能再次告知")
    if not case_type.paused_states:
        raise ConflictError(f"「{case_type.title}」不需要补正材料，不能发出补正告知")
    # The conventional 补正 state when the type has it, else the first of its paused states (a fixed choice).
    paused = "awaiting_materials" if "awaiting_materials" in case_type.paused_states else min(case_type.paused_states)
    if expected_version is not None and fresh.version != expected_version:
        raise ConflictError("该办件已被他人处理，请刷新后查看最新状态")
    transition = types.Transition(
        "request_materials",
        "一次性告知",
        tuple(s for s in case_type.states if s not in case_type.final_states and s not in case_type.paused_states),
        paused,
        frozenset({types.OFFICER, types.ACCEPTING_OFFICER}),
    )
    _guard(fresh, case_type, transition, actor, "")
    notice = Notice.objects.create(case=fresh, round=fresh.notice_round + 1, items=clean, issued_by=actor)
    previous_state = fresh.state
    if fresh.due_at is not None:
        fresh.paused_remaining_workdays = remaining_workdays(fresh.due_at, timezone.localdate())
        fresh.due_at = None
    fresh.state = paused
    fresh.notice_round = notice.round
    fresh.version += 1
    fresh.resume_state = previous_state
    fresh.save()
    _log(fresh, actor, "request_materials", previous_state, "；".join(i["item"] for i in clean))
    _tell_applicant(fresh, case_type, "需要补正材料", "请一次补齐：" + "；".join(i["item"] for i in clean))
    return notice


def _resume_clock(case: Case) -> None:
    if case.paused_remaining_workdays is not None:
        case.due_at, case.due_provisional = due_after(timezone.localdate(), case.paused_remaining_workdays)
        case.paused_remaining_workdays = None


@transaction.atomic
def case_answer_notice(*, case: Case, actor: Any, answer: str, request: HttpRequest | None = None) -> Case:
    """The applicant supplements what the notice listed; the clock restarts with the working days it had left."""
    case_type = types.get(case.case_type)
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    if types.APPLICANT not in roles_on_case(fresh, actor):
        raise DomainError("只有申请人可以补正材料", code="forbidden", status=403)
    notice = Notice.objects.filter(case=fresh, round=fresh.notice_round).first()
    if fresh.state not in case_type.paused_states or notice is None or notice.answered_at is not None:
        raise ConflictError("该办件当前不需要补正材料")
    if notice.withdrawn_at is not None:
        raise ConflictError("该补正告知已撤回，无需补正")
    if len(answer.strip()) < 2:
        raise FieldValueError("answer", "补正说明", "请说明补正了哪些材料")
    notice.answered_at, notice.answer = timezone.now(), answer.strip()[:2000]
    notice.save(update_fields=["answered_at", "answer"])
    previous_state = fresh.state
    fresh.state, fresh.resume_state = fresh.resume_state or case_type.initial_state, ""
    _resume_clock(fresh)
    fresh.version += 1
    fresh.save()
    _log(fresh, actor, "supplement", previous_state, answer.strip()[:200], role=types.APPLICANT)
    return fresh


@transaction.atomic
def case_withdraw_notice(*, case: Case, actor: Any, reason: str, request: HttpRequest | None = None) -> Case:
    """An officer withdraws a notice issued by mistake: the case goes back to review and the clock restarts."""
    case_type = types.get(case.case_type)
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    if not roles_on_case(fresh, actor) & {types.OFFICER, types.ACCEPTING_OFFICER}:
        raise DomainError("您不能撤回该告知", code="forbidden", status=403)
    notice = Notice.objects.filter(
        case=fresh, round=fresh.notice_round, answered_at__isnull=True, withdrawn_at__isnull=True
    ).first()
    if fresh.state not in case_type.paused_states or notice is None:
        raise ConflictError("没有可撤回的补正告知")
    if len(reason.strip()) < 2:
        raise FieldValueError("reason", "撤回理由", "须说明撤回理由")
    notice.withdrawn_at = timezone.now()
    notice.save(update_fields=["withdrawn_at"])
    previous_state = fresh.state
    fresh.state, fresh.resume_state = fresh.resume_state or case_type.initial_state, ""
    _resume_clock(fresh)
    fresh.version += 1
    fresh.save()
    _log(fresh, actor, "withdraw_notice", previous_state, reason)
    _tell_applicant(fresh, case_type, "补正告知已撤回", reason)
    return fresh


@transaction.atomic
def case_extend(*, case: Case, actor: Any, reason: str, request: HttpRequest | None = None) -> Case:
    """A supervisor extends a time-limited case once, by the case type's extension, with a written reason that
    the applicant is told (DOMAIN §3: complex cases +3 working days with the head's approval)."""
    case_type = types.get(case.case_type)
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    if types.SUPERVISOR not in roles_on_case(fresh, actor):
        raise DomainError("延长办理时限须由主管审批", code="forbidden", status=403)
    if not case_type.extension_workdays or fresh.due_at is None:
        raise ConflictError("该办件不能延长时限")
    if fresh.extended:
        raise ConflictError("该办件已延长过一次时限")
    if len(reason.strip()) < 4:
        raise FieldValueError("reason", "延长理由", "须写明延长理由（至少4个字）")
    fresh.due_at, fresh.due_provisional = due_after(local_date(fresh.due_at), case_type.extension_workdays)
    fresh.extended, fresh.deadline_flag = True, ""
    fresh.version += 1
    fresh.save()
    _log(fresh, actor, "extend", fresh.state, reason)
    due = local_date(fresh.due_at)
    _tell_applicant(fresh, case_type, "办理时限延长", f"因{reason.strip()}，办理时限延长至{due:%Y年%m月%d日}。")
    return fresh


@transaction.atomic
def case_assign(*, case: Case, actor: Any, assignee: Any, request: HttpRequest | None = None) -> Case:
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    if types.OFFICER not in roles_on_case(fresh, actor):
        raise DomainError("您不能分派该办件", code="forbidden", status=403)
    if assignee is not None and types.OFFICER not in roles_on_case(fresh, assignee):
        raise FieldValueError("assignee", "承办人", "不在该办件办理地的经办人员范围内")
    fresh.assignee = assignee
    fresh.version += 1
    fresh.save(update_fields=["assignee", "version"])
    _log(fresh, actor, "assign", fresh.state, getattr(assignee, "real_name", "") or "取消分派")
    if assignee is not None and assignee != actor:
        notify(assignee, f"新分派办件 {fresh.number}", link=f"/workbench/cases/{fresh.pk}/")
    return fresh
