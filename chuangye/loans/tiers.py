"""The partner tiers of loan cases: which partner roles an actor holds on a case, and each tier's clock.

The case engine asks ``cases.access.ROLE_PROVIDERS`` for roles beyond applicant and bureau staff; ``partner_roles``
(registered in ``LoansConfig.ready``) grants the assigned bank's staff ``loan_bank`` and the staff of the
guarantee institution whose fund guarantees the loan ``loan_guarantor``. Every transition — bureau, guarantor,
bank, applicant — is then the engine's own ``case_transition``, with its state, role, reason, maker-checker and
version rules, history, audit and notices; ``on_transition`` below gives each tier its time limit.
"""

from typing import Any

from django.utils import timezone

from chuangye.accounts.models import Organisation, User
from chuangye.cases import types
from chuangye.cases.deadlines import due_after
from chuangye.cases.models import Case
from chuangye.inbox.actions import notify
from chuangye.loans.access import partner_kind
from chuangye.loans.case_types import BANK, GUARANTOR, REVISION_STATES, TIER_WORKDAYS


def _parties(case: Case) -> tuple[int | None, int | None]:
    """(bank organisation id, guarantee institution organisation id) of a loan or extension case."""
    application = getattr(case, "loan_application", None)
    if application is not None:
        return application.bank_id, application.fund.organisation_id
    extension = getattr(case, "loan_extension", None)
    if extension is not None:
        return extension.loan.bank_id, extension.loan.fund.organisation_id
    return None, None


def partner_roles(case: Case, actor: Any) -> set[str]:
    """The role provider for the case engine: the partner roles the actor's organisation holds on this case."""
    kind = partner_kind(actor)
    if not kind or not case.case_type.startswith("loan."):
        return set()
    bank_id, guarantor_id = _parties(case)
    if kind == Organisation.Kind.BANK and actor.organisation_id == bank_id:
        return {BANK}
    if kind == Organisation.Kind.GUARANTOR and actor.organisation_id == guarantor_id:
        return {GUARANTOR}
    return set()


def on_transition(case: Case, action: str, actor: Any) -> None:
    """Each tier's own clock: entering a review tier starts its time limit; a send-back stops the clock until the
    applicant resubmits; the next tier's staff are told."""
    if case.state in TIER_WORKDAYS:
        case.due_at, case.due_provisional = due_after(timezone.localdate(), TIER_WORKDAYS[case.state])
        case.deadline_flag = ""
        Case.objects.filter(pk=case.pk).update(
            due_at=case.due_at, due_provisional=case.due_provisional, deadline_flag=""
        )
        _tell_tier(case, types.get(case.case_type))
    elif case.state in REVISION_STATES:
        case.due_at, case.deadline_flag = None, ""
        Case.objects.filter(pk=case.pk).update(due_at=None, deadline_flag="")
        # The engine tells the applicant in the inbox; a send-back also needs their action, so a text message too.
        notify(
            case.applicant_user,
            f"{types.get(case.case_type).title}：请修改后重新提交",
            "请登录平台查看退回意见，修改后重新提交。",
            link=f"/me/cases/{case.pk}/",
            sms=True,
            dedupe_key=f"loan-revision:{case.pk}:{case.version}",
        )


def _tell_tier(case: Case, case_type: types.CaseType) -> None:
    bank_id, guarantor_id = _parties(case)
    organisation = {"guarantor_review": guarantor_id, "bank_review": bank_id}.get(case.state)
    if organisation is None:
        return
    for user in User.objects.filter(organisation_id=organisation, is_active=True):
        notify(user, f"待审核：{case_type.title} {case.number}", link="/workbench/loans/")
