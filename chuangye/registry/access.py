"""Permission-checked fetches of people. Every read of a person goes through here, for the web and the API.

Who sees whom: a citizen sees their own record; officers and supervisors see people whose usual residence
(常住地) is in their region; partners and mentors see nobody here (PIPL art. 23: a bank sees an applicant only
through the case it handles, which the case engine grants); administrators do not browse personal data.
"""

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from chuangye.accounts.access import region_filter
from chuangye.accounts.models import Role
from chuangye.registry.models import Business, ChangeRequest, KeyGroupStatus, Person

M = TypeVar("M", bound=Model)


def people_for(user: Any) -> QuerySet[Person]:
    if not getattr(user, "is_authenticated", False):
        return Person.objects.none()
    if user.role == Role.CITIZEN:
        return Person.objects.filter(user=user)
    scope = region_filter(user)
    if scope is None:
        return Person.objects.none()
    return Person.objects.filter(scope)


def access_person_by_id(user: Any, person_id: object) -> Person:
    """The person, if ``user`` may see them; otherwise the same 404 as for a person who does not exist."""
    return _get(people_for(user), person_id)


def statuses_for(user: Any) -> QuerySet[KeyGroupStatus]:
    """Key-group statuses the user may see: their own (citizens) or those declared in their region (staff)."""
    if not getattr(user, "is_authenticated", False):
        return KeyGroupStatus.objects.none()
    if user.role == Role.CITIZEN:
        return KeyGroupStatus.objects.filter(person__user=user)
    scope = region_filter(user)
    return KeyGroupStatus.objects.filter(scope) if scope is not None else KeyGroupStatus.objects.none()


def access_status_by_id(user: Any, status_id: object) -> KeyGroupStatus:
    return _get(statuses_for(user).select_related("person", "category"), status_id)


def change_requests_for(user: Any) -> QuerySet[ChangeRequest]:
    if not getattr(user, "is_authenticated", False):
        return ChangeRequest.objects.none()
    if user.role == Role.CITIZEN:
        return ChangeRequest.objects.filter(person__user=user)
    scope = region_filter(user)
    return ChangeRequest.objects.filter(scope) if scope is not None else ChangeRequest.objects.none()


def access_change_by_id(user: Any, change_id: object) -> ChangeRequest:
    return _get(change_requests_for(user).select_related("person"), change_id)


def businesses_for(user: Any) -> QuerySet[Business]:
    """Businesses registered in a staff user's region, or founded by the citizen."""
    if not getattr(user, "is_authenticated", False):
        return Business.objects.none()
    if user.role == Role.CITIZEN:
        return Business.objects.filter(founders__person__user=user).distinct()
    scope = region_filter(user)
    return Business.objects.filter(scope) if scope is not None else Business.objects.none()


def access_business_by_id(user: Any, business_id: object) -> Business:
    return _get(businesses_for(user), business_id)


def _get(queryset: QuerySet[M], pk: object) -> M:
    try:
        return queryset.get(pk=int(str(pk)))
    except (ObjectDoesNotExist, ValueError):
        raise Http404("记录不存在或无权访问") from None
