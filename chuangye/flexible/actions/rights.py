"""Rights protection actions: a worker's request (one click from an engagement) and its referral to legal aid."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Organisation
from chuangye.cases.access import roles_on_case
from chuangye.cases.actions import case_submit, case_transition
from chuangye.cases.deadlines import due_after, local_date
from chuangye.cases.models import Case
from chuangye.cases.types import OFFICER
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.money import parse_money
from chuangye.flexible import case_types
from chuangye.flexible.actions.common import _choice, _person, _text
from chuangye.flexible.models import Engagement, RightsRequest
from chuangye.inbox.actions import notify


@transaction.atomic
def rights_submit(
    *,
    actor: Any,
    kind: object,
    description: object,
    amount: object = None,
    engagement: Engagement | None = None,
    respondent_name: object = "",
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Raise a rights-protection request. Raised from a gig it names the gig and its poster and takes the green
    channel; unpaid-wage requests take the green channel too."""
    person = _person(actor)
    kind_value = _choice(kind, RightsRequest.Kind, "kind", "诉求类型")
    gig = None
    if engagement is not None:
        if engagement.worker_id != actor.pk:
            raise DomainError("只有接单的求职者可以就该订单维权", code="forbidden", status=403)
        gig = engagement.gig
        respondent = gig.poster_name
        region = gig.region_code
        default_text = f"零工订单「{gig.title}」（{gig.work_date:%Y-%m-%d}，{gig.address}）"
        text = str(description or "").strip() or f"{default_text}：{RightsRequest.Kind(kind_value).label}"
        idempotency_key = idempotency_key or f"engagement-{engagement.pk}-{kind_value}"
    else:
        respondent = _text(respondent_name, "respondent_name", "被投诉方", 100)
        region = person.region_code
        text = str(description or "")
    text = _text(text, "description", "情况说明", 2000)
    claimed = (
        parse_money(amount, field="amount", label="涉及金额", allow_zero=False) if amount not in (None, "") else None
    )
    green = gig is not None or kind_value == RightsRequest.Kind.WAGES

    def payload(case: Case) -> None:
        RightsRequest.objects.create(
            case=case,
            kind=kind_value,
            gig=gig,
            engagement=engagement,
            respondent_user=gig.poster if gig is not None else None,
            respondent_name=respondent,
            amount_claimed=claimed,
            description=text,
            green_channel=green,
        )
        if green:
            case.due_at, case.due_provisional = due_after(
                local_date(case.submitted_at), case_types.GREEN_CHANNEL_WORKDAYS
            )
            case.save(update_fields=["due_at", "due_provisional"])

    case, _ = case_submit(
        case_type_code="flexible.rights",
        applicant_user=actor,
        accepting_region=region,
        deciding_region=region,
        person=person,
        idempotency_key=idempotency_key[:80],
        build_payload=payload,
        request=request,
    )
    return case


@transaction.atomic
def rights_refer(*, actor: Any, case: Case, organisation_id: object, request: HttpRequest | None = None) -> Case:
    """Refer a rights case to a legal-aid organisation (a partner); it then sees the case and records the outcome."""
    if OFFICER not in roles_on_case(case, actor):
        raise DomainError("您不能转介该办件", code="forbidden", status=403)
    try:
        org = Organisation.objects.get(pk=int(str(organisation_id)), kind=Organisation.Kind.LEGAL_AID, is_active=True)
    except (ValueError, Organisation.DoesNotExist):
        raise FieldValueError("organisation", "法律援助机构", "请选择有效的法律援助机构") from None
    rights = RightsRequest.objects.select_for_update().get(case=case)
    rights.legal_aid, rights.referred_at = org, timezone.now()
    rights.save(update_fields=["legal_aid", "referred_at"])
    fresh = case_transition(case=case, action="refer", actor=actor, comment=f"转介至{org.name}", request=request)
    for staff in org.users.filter(is_active=True):
        notify(staff, f"新转介维权案件 {case.number}", link="/flexible/legal-aid/")
    return fresh


def on_rights_transition(case: Case, action: str, actor: Any) -> None:
    if action in ("resolve", "aid_resolve"):
        event = case.events.filter(action=action).order_by("-at", "-id").first()
        RightsRequest.objects.filter(case=case).update(outcome=event.comment if event else "")
