"""Reads of people for lists, search and policy facts, always starting from the user's scope."""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from chuangye.core.pii import blind_index
from chuangye.registry.access import people_for
from chuangye.registry.models import KeyGroupStatus, Person


def in_force(on: dt.date, prefix: str = "") -> Q:
    """Certified and inside its validity dates on ``on``: the one rule for whether a key-group status counts."""
    return Q(
        **{
            f"{prefix}state": KeyGroupStatus.State.CERTIFIED,
            f"{prefix}valid_from__lte": on,
        }
    ) & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on}))


def active_key_groups(person: Person, on: dt.date) -> set[str]:
    """The policy-engine groups (facts) a person belongs to on a date."""
    statuses = KeyGroupStatus.objects.filter(in_force(on), person=person)
    return set(statuses.values_list("category__fact", flat=True))


def person_search(
    *, user: Any, query: str = "", region_code: str = "", group: str = "", on: dt.date | None = None
) -> QuerySet[Person]:
    """People in the user's scope matching a name, its pinyin initials, a full ID number or a full phone number,
    optionally in a region and in a key group (counted on ``on``, today by default)."""
    people = people_for(user).filter(anonymised_at__isnull=True)
    text = query.strip()
    if len(text) == 18:
        people = people.filter(id_number_index=blind_index(text.upper(), "person.id_number"))
    elif len(text) == 11 and text.isdigit():
        people = people.filter(phone_index=blind_index(text, "person.phone"))
    elif text.isascii() and text.isalpha():
        people = people.filter(name_initials__startswith=text.lower())
    elif text:
        people = people.filter(name__contains=text)
    if region_code:
        people = people.filter(region_code=region_code)
    if group:
        day = on or timezone.localdate()
        people = people.filter(
            pk__in=KeyGroupStatus.objects.filter(in_force(day), category__fact=group).values("person_id")
        )
    return people.order_by("id")
