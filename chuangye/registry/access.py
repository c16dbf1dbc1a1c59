"""Permission-checked fetches of people. Every read of a person goes through here, for the web and the API.

Who sees whom: a citizen sees their own record; officers and supervisors see people whose usual residence
(常住地) is in their region; partners and mentors see nobody here (PIPL art. 23: a bank sees an applicant only
through the case it handles, which the case engine grants); administrators do not browse personal data.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from chuangye.accounts.access import region_filter
from chuangye.accounts.models import Role
from chuangye.registry.models import Person


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
    try:
        return people_for(user).get(pk=int(str(person_id)))
    except (Person.DoesNotExist, ValueError):
        raise Http404("记录不存在或无权访问") from None
