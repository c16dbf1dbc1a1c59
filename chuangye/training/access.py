"""Who sees which class, session, certificate, claim and competition.

Bureau staff see those of their region (prefix rule); a training institution sees its own; citizens see the
approved classes open to the public and their own enrolments and certificates. Out of scope answers like missing
(404).
"""

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from chuangye.accounts.access import region_filter
from chuangye.accounts.models import Organisation, Role
from chuangye.training.models import Certificate, Claim, Competition, Institution, Session, Trainer, TrainingClass

M = TypeVar("M", bound=Model)


def institution_of(user: Any) -> Institution | None:
    """The listing of a training institution's partner account, or None."""
    if getattr(user, "role", None) != Role.PARTNER or not getattr(user, "organisation_id", None):
        return None
    if user.organisation.kind != Organisation.Kind.TRAINING:
        return None
    return Institution.objects.filter(organisation_id=user.organisation_id).first()


def partner_case_filter(user: Any) -> Q | None:
    """Hook for ``cases.access.PARTNER_FILTERS``: an institution's class applications."""
    if getattr(user, "role", None) != Role.PARTNER or not getattr(user, "organisation_id", None):
        return None
    if user.organisation.kind != Organisation.Kind.TRAINING:
        return None
    return Q(training_class__institution__organisation_id=user.organisation_id)


def _scoped(model: type[M], user: Any, *, institution: str, region: str = "region_code") -> QuerySet[M]:
    manager = model._default_manager
    if not getattr(user, "is_authenticated", False):
        return manager.none()
    staff = region_filter(user, region)
    if staff is not None:
        return manager.filter(staff)
    if user.role == Role.PARTNER and partner_case_filter(user) is not None:
        return manager.filter(**{f"{institution}organisation_id": user.organisation_id})
    return manager.none()


def classes_for(user: Any) -> QuerySet[TrainingClass]:
    if getattr(user, "role", None) == Role.CITIZEN:
        return TrainingClass.objects.filter(case__state="approved")
    return _scoped(TrainingClass, user, institution="institution__")


def sessions_for(user: Any) -> QuerySet[Session]:
    return _scoped(Session, user, institution="training_class__institution__", region="training_class__region_code")


def claims_for(user: Any) -> QuerySet[Claim]:
    return _scoped(Claim, user, institution="institution__")


def certificates_for(user: Any) -> QuerySet[Certificate]:
    if getattr(user, "role", None) == Role.CITIZEN:
        return Certificate.objects.filter(person__user=user)
    return _scoped(Certificate, user, institution="enrolment__training_class__institution__")


def trainers_for(user: Any) -> QuerySet[Trainer]:
    return _scoped(Trainer, user, institution="institution__")


def competitions_for(user: Any) -> QuerySet[Competition]:
    """Staff of the organising region, and the judges named on a competition."""
    if not getattr(user, "is_authenticated", False):
        return Competition.objects.none()
    staff = region_filter(user, "region_code")
    if staff is not None:
        return Competition.objects.filter(staff | Q(judges=user)).distinct()
    return Competition.objects.filter(judges=user).distinct()


def _get(queryset: QuerySet[M], pk: object) -> M:
    try:
        return queryset.get(pk=int(str(pk)))
    except (ObjectDoesNotExist, ValueError):
        raise Http404("记录不存在或无权访问") from None


def access_class_by_id(user: Any, pk: object) -> TrainingClass:
    return _get(classes_for(user).select_related("institution__organisation", "case"), pk)


def access_session_by_id(user: Any, pk: object) -> Session:
    return _get(sessions_for(user).select_related("training_class__institution"), pk)


def access_claim_by_id(user: Any, pk: object) -> Claim:
    return _get(claims_for(user).select_related("training_class", "institution__organisation"), pk)


def access_certificate_by_id(user: Any, pk: object) -> Certificate:
    return _get(certificates_for(user).select_related("enrolment__training_class__institution__organisation"), pk)


def access_competition_by_id(user: Any, pk: object) -> Competition:
    return _get(competitions_for(user), pk)
