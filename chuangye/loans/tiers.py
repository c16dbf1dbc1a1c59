"""The partner tiers of loan cases: the guarantee institution's and the bank's decisions, and each tier's clock.

The case engine derives roles on a case only for applicants and bureau staff (``cases.access.roles_on_case``), and
offers apps no hook to add theirs (ADR 0006 foresees one). Until it does, a transition held by a partner role goes
through ``loan_case_act``, which applies the engine's own rules — state, role, reason, maker-checker, the version
compare-and-set, history, audit, hooks, telling the applicant — and every other transition is handed to
``cases.actions.case_transition`` unchanged. With a role hook in the engine this module shrinks to the hook.
"""

from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Organisation, User
from chuangye.cases import types
from chuangye.cases.access import roles_on_case
from chuangye.cases.actions import case_transition
from chuangye.cases.deadlines import due_after
from chuangye.cases.models import Case, CaseEvent
from chuangye.core.audit import record_event
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.inbox.actions import notify
from chuangye.loans.access import partner_kind
from chuangye.loans.case_types import BANK, GUARANTOR, REVISION_STATES, TIER_WORKDAYS

PARTNER_ROLES = frozenset({BANK, GUARANTOR})


def _parties(case: Case) -> tuple[int | None, int | None]:
    """(bank organisation id, guarantee institution organisation id) of a loan or extension case."""
    application = getattr(case, "loan_application", None)
    if application is not None:
        return application.bank_id, application.fund.organisation_id
    extension = getattr(case, "loan_extension", None)
    if extension is not None:
        return extension.loan.bank_id, extension.loan.fund.organisation_id
    return None, None


def loan_roles_on_case(case: Case, actor: Any) -> set[str]:
    """The engine's roles plus the partner roles the actor's organisation holds on this case."""
    held = roles_on_case(case, actor)
    kind = partner_kind(actor)
    if kind:
        bank_id, guarantor_id = _parties(case)
        if kind == Organisation.Kind.BANK and actor.organisation_id == bank_id:
            held.add(BANK)
        if kind == Organisation.Kind.GUARANTOR and actor.organisation_id == guarantor_id:
            held.add(GUARANTOR)
    return held


def loan_available_actions(case: Case, actor: Any) -> list[types.Transition]:
    held = loan_roles_on_case(case, actor)
    return [t for t in types.get(case.case_type).available(case.state) if t.roles & held]


def _guard(case: Case, case_type: types.CaseType, transition: types.Transition, actor: Any, comment: str) -> None:
    if case.state not in transition.sources:
        raise ConflictError(f"当前状态为「{case_type.states[case.state]}」，不能{transition.label}")
    if not loan_roles_on_case(case, actor) & transition.roles:
        raise DomainError(f"您不能对该办件执行「{transition.label}」", code="forbidden", status=403)
    if transition.needs_comment and len(comment.strip()) < 2:
        raise FieldValueError("comment", "意见", f"{transition.label}须填写理由")
    if transition.decides:
        deciding = [t.action for t in case_type.transitions if t.decides]
        previous = case.events.filter(action__in=deciding).order_by("-at", "-id").first()
        if actor.pk == case.applicant_user_id or (previous is not None and previous.actor_id == actor.pk):
            raise DomainError("上一级审核人或申请人不能审批同一办件", code="maker_checker", status=403)


@transaction.atomic
def loan_case_act(
    *,
    case: Case,
    action: str,
    actor: Any,
    comment: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Take a transition on a loan or extension case, whoever holds it (bureau, bank, guarantor, applicant)."""
    case_type = types.get(case.case_type)
    transition = case_type.transition(action)
    if transition is None:
        raise DomainError(f"「{case_type.title}」没有这个操作", code="unknown_action")
    if not transition.roles & PARTNER_ROLES:
        return case_transition(
            case=case, action=action, actor=actor, comment=comment, expected_version=expected_version, request=request
        )
    fresh = Case.objects.get(pk=case.pk)
    version = fresh.version if expected_version is None else expected_version
    if fresh.version != version:
        raise ConflictError("该办件已被他人处理，请刷新后查看最新状态")
    _guard(fresh, case_type, transition, actor, comment)
    updates: dict[str, Any] = {"state": transition.target, "version": F("version") + 1}
    if transition.target in case_type.final_states:
        updates.update(decided_at=timezone.now(), deadline_flag="")
    if Case.objects.filter(pk=fresh.pk, version=version, state=fresh.state).update(**updates) != 1:
        raise ConflictError("该办件已被他人处理，请刷新后查看最新状态")
    previous_state = fresh.state
    fresh.refresh_from_db()
    role = BANK if BANK in transition.roles else GUARANTOR
    CaseEvent.objects.create(
        case=fresh,
        actor=actor,
        actor_role=role,
        action=action,
        from_state=previous_state,
        to_state=fresh.state,
        comment=comment.strip(),
    )
    record_event(
        f"case.{action}",
        actor=actor,
        object_type="case",
        object_id=fresh.number,
        region_code=fresh.region_code,
        details={"from": previous_state, "to": fresh.state},
        request=request,
    )
    if case_type.on_transition is not None:
        case_type.on_transition(fresh, action, actor)
    if fresh.state in case_type.final_states and case_type.on_decided is not None:
        case_type.on_decided(fresh, actor)
    if fresh.state not in REVISION_STATES:  # revisions are told, with a text message, by on_transition
        notify(
            fresh.applicant_user,
            f"{case_type.title}：{case_type.states[fresh.state]}",
            comment.strip(),
            link=f"/me/cases/{fresh.pk}/",
            sms=fresh.state in case_type.final_states,
        )
    return fresh


def on_transition(case: Case, action: str, actor: Any) -> None:
    """Each tier's own clock: entering a review tier starts its time limit; a revision stops the clock until the
    applicant resubmits; the next tier's staff are told."""
    case_type = types.get(case.case_type)
    if case.state in TIER_WORKDAYS:
        case.due_at, case.due_provisional = due_after(timezone.localdate(), TIER_WORKDAYS[case.state])
        case.deadline_flag = ""
        Case.objects.filter(pk=case.pk).update(
            due_at=case.due_at, due_provisional=case.due_provisional, deadline_flag=""
        )
        _tell_tier(case, case_type)
    elif case.state in REVISION_STATES:
        case.due_at, case.deadline_flag = None, ""
        Case.objects.filter(pk=case.pk).update(due_at=None, deadline_flag="")
        notify(
            case.applicant_user,
            f"{case_type.title}：{case_type.states[case.state]}",
            "请按意见修改后重新提交。",
            link=f"/me/cases/{case.pk}/",
            sms=True,
        )


def _tell_tier(case: Case, case_type: types.CaseType) -> None:
    bank_id, guarantor_id = _parties(case)
    organisation = {"guarantor_review": guarantor_id, "bank_review": bank_id, "submitted": bank_id}.get(case.state)
    if organisation is None:
        return
    for user in User.objects.filter(organisation_id=organisation, is_active=True):
        notify(user, f"待审核：{case_type.title} {case.number}", link="/workbench/loans/")
