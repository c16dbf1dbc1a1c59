"""Who sees which assessment, simulation, programme roster, competition and entry.

A founder sees their own assessments and simulations; bureau staff those of their region (prefix rule); a mentor
those of the region they serve (for notes); a bank only those attached to a loan application assigned to it.
Competitions are open to every signed-in user; an entry's score sheet only to the competition's judges who are not
from the entry's own organisation. Out of scope answers like missing: 404.
"""

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from chuangye.accounts.access import region_filter
from chuangye.accounts.models import Organisation, Role
from chuangye.core.regions import significant_prefix
from chuangye.cultivation.models import (
    Assessment,
    Competition,
    Enrolment,
    Judge,
    LoanAttachment,
    Programme,
    Simulation,
    Submission,
)

M = TypeVar("M", bound=Model)


def _mentor_q(user: Any) -> Q | None:
    if getattr(user, "role", None) != Role.MENTOR or not getattr(user, "region_code", ""):
        return None
    return Q(region_code__startswith=significant_prefix(user.region_code))


def _bank_id(user: Any) -> int | None:
    if getattr(user, "role", None) != Role.PARTNER or not getattr(user, "organisation_id", None):
        return None
    return user.organisation_id if user.organisation.kind == Organisation.Kind.BANK else None


def _founder_work(model: type[M], user: Any, attached: str) -> QuerySet[M]:
    manager = model._default_manager
    if not getattr(user, "is_authenticated", False):
        return manager.none()
    if user.role == Role.CITIZEN:
        return manager.filter(person__user=user)
    scope = region_filter(user) or _mentor_q(user)
    if scope is not None:
        return manager.filter(scope)
    bank = _bank_id(user)
    if bank is not None:
        ids = LoanAttachment.objects.filter(application__bank_id=bank).values(attached)
        return manager.filter(pk__in=ids)
    return manager.none()


def assessments_for(user: Any) -> QuerySet[Assessment]:
    return _founder_work(Assessment, user, "assessment")


def simulations_for(user: Any) -> QuerySet[Simulation]:
    return _founder_work(Simulation, user, "simulation")


def may_note(user: Any, assessment: Assessment) -> bool:
    """Mentors and bureau staff in scope may add notes."""
    return getattr(user, "role", None) in (Role.MENTOR, Role.OFFICER, Role.SUPERVISOR)


def programmes_managed_by(user: Any) -> QuerySet[Programme]:
    scope = region_filter(user)
    return Programme.objects.filter(scope) if scope is not None else Programme.objects.none()


def competitions_managed_by(user: Any) -> QuerySet[Competition]:
    scope = region_filter(user)
    return Competition.objects.filter(scope) if scope is not None else Competition.objects.none()


def judged_entries(user: Any) -> QuerySet[Submission]:
    """Entries this user judges: in competitions where they sit, excluding their own organisation's."""
    if not getattr(user, "is_authenticated", False):
        return Submission.objects.none()
    competitions = Judge.objects.filter(user=user).values("competition")
    entries = Submission.objects.filter(competition__in=competitions)
    if user.organisation_id:
        entries = entries.exclude(organisation_id=user.organisation_id)
    return entries


def enrolments_for(user: Any) -> QuerySet[Enrolment]:
    if getattr(user, "role", None) == Role.CITIZEN:
        return Enrolment.objects.filter(person__user=user)
    scope = region_filter(user, "programme__region_code")
    return Enrolment.objects.filter(scope) if scope is not None else Enrolment.objects.none()


def _get(queryset: QuerySet[M], pk: object) -> M:
    try:
        return queryset.get(pk=int(str(pk)))
    except (ValueError, ObjectDoesNotExist):
        raise Http404("记录不存在或无权访问") from None


def access_assessment_by_id(user: Any, assessment_id: object) -> Assessment:
    return _get(assessments_for(user).select_related("person"), assessment_id)


def access_simulation_by_id(user: Any, simulation_id: object) -> Simulation:
    return _get(simulations_for(user).select_related("person"), simulation_id)


def access_programme_by_id(user: Any, programme_id: object) -> Programme:
    """Any programme (the catalogue is public)."""
    return _get(Programme.objects.all(), programme_id)


def access_managed_programme_by_id(user: Any, programme_id: object) -> Programme:
    return _get(programmes_managed_by(user), programme_id)


def access_competition_by_id(user: Any, competition_id: object) -> Competition:
    if not getattr(user, "is_authenticated", False):
        raise Http404("记录不存在或无权访问")
    return _get(Competition.objects.all(), competition_id)


def access_entry_for_judging(user: Any, submission_id: object) -> Submission:
    return _get(judged_entries(user).select_related("competition", "stage", "organisation"), submission_id)
