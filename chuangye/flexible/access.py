"""Who sees which gig-market record. Out-of-scope records answer 404 like missing ones.

Published, unexpired postings are open to everyone (the market is free to all); a poster also sees their own
postings in any state; staff see everything in their region. An engagement is seen by its worker, the gig's poster
and the staff of the gig's region.
"""

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from chuangye.accounts.access import is_staff_role, region_filter
from chuangye.accounts.models import Organisation, Role
from chuangye.cases.models import Case
from chuangye.flexible.case_types import LEGAL_AID
from chuangye.flexible.models import (
    Engagement,
    Gig,
    PaymentBatch,
    Report,
    ServiceZone,
    SubsidyClaim,
    WorkerProfile,
)

M = TypeVar("M", bound=Model)


def _get(queryset: QuerySet[M], pk: object) -> M:
    try:
        return queryset.get(pk=int(str(pk)))
    except (ValueError, queryset.model.DoesNotExist):  # type: ignore[attr-defined]
        raise Http404("记录不存在或无权访问") from None


def open_gigs() -> QuerySet[Gig]:
    return Gig.objects.filter(status=Gig.Status.PUBLISHED, valid_until__gt=timezone.now())


def gigs_for(user: Any) -> QuerySet[Gig]:
    """Every posting the user may open."""
    visible = Q(status=Gig.Status.PUBLISHED, valid_until__gt=timezone.now())
    if getattr(user, "is_authenticated", False):
        visible |= Q(poster=user)
        scope = region_filter(user)
        if scope is not None:
            visible |= Q(pk__in=Gig.objects.filter(scope).values("pk"))
    return Gig.objects.filter(visible)


def access_gig_by_id(user: Any, gig_id: object) -> Gig:
    return _get(gigs_for(user), gig_id)


def staff_gigs(user: Any) -> QuerySet[Gig]:
    scope = region_filter(user)
    return Gig.objects.filter(scope) if scope is not None else Gig.objects.none()


def engagements_for(user: Any) -> QuerySet[Engagement]:
    if not getattr(user, "is_authenticated", False):
        return Engagement.objects.none()
    own = Q(worker=user) | Q(gig__poster=user)
    scope = region_filter(user, "gig__region_code")
    return Engagement.objects.filter(own | scope if scope is not None else own).select_related("gig", "worker")


def access_engagement_by_id(user: Any, engagement_id: object) -> Engagement:
    return _get(engagements_for(user), engagement_id)


def profiles_for(user: Any) -> QuerySet[WorkerProfile]:
    scope = region_filter(user)
    if scope is not None:
        return WorkerProfile.objects.filter(scope)
    if getattr(user, "is_authenticated", False):
        return WorkerProfile.objects.filter(user=user)
    return WorkerProfile.objects.none()


def reports_for(user: Any) -> QuerySet[Report]:
    scope = region_filter(user)
    return Report.objects.filter(scope) if scope is not None else Report.objects.none()


def zones_for(user: Any) -> QuerySet[ServiceZone]:
    scope = region_filter(user)
    return ServiceZone.objects.filter(scope) if scope is not None else ServiceZone.objects.none()


def claims_for(user: Any) -> QuerySet[SubsidyClaim]:
    if not getattr(user, "is_authenticated", False):
        return SubsidyClaim.objects.none()
    scope = region_filter(user)
    if scope is not None:
        return SubsidyClaim.objects.filter(scope)
    if user.role == Role.CITIZEN:
        return SubsidyClaim.objects.filter(enrolment__person__user=user)
    return SubsidyClaim.objects.none()


def batches_for(user: Any) -> QuerySet[PaymentBatch]:
    scope = region_filter(user)
    return PaymentBatch.objects.filter(scope) if scope is not None else PaymentBatch.objects.none()


def is_legal_aid(user: Any) -> bool:
    org = getattr(user, "organisation", None)
    return getattr(user, "role", None) == Role.PARTNER and org is not None and org.kind == Organisation.Kind.LEGAL_AID


def is_employer(user: Any) -> bool:
    org = getattr(user, "organisation", None)
    return getattr(user, "role", None) == Role.PARTNER and org is not None and org.kind == Organisation.Kind.EMPLOYER


def legal_aid_case_filter(user: Any) -> Q | None:
    """Case-engine hook: a legal-aid organisation sees the rights cases referred to it."""
    if not is_legal_aid(user):
        return None
    return Q(case_type="flexible.rights", rights_request__legal_aid=user.organisation_id)


def legal_aid_roles(case: Case, actor: Any) -> set[str]:
    """Case-engine hook: the legal-aid organisation a rights case was referred to acts on it."""
    if case.case_type != "flexible.rights" or not is_legal_aid(actor):
        return set()
    request = getattr(case, "rights_request", None)
    return {LEGAL_AID} if request is not None and request.legal_aid_id == actor.organisation_id else set()


def can_review(user: Any) -> bool:
    return is_staff_role(user)
