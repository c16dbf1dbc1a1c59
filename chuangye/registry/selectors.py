"""Reads of people for lists and search, always starting from the user's scope."""

from typing import Any

from django.db.models import QuerySet

from chuangye.core.pii import blind_index
from chuangye.registry.access import people_for
from chuangye.registry.models import Person


def person_search(*, user: Any, query: str = "", region_code: str = "") -> QuerySet[Person]:
    """People in the user's scope matching a name, a full ID number or a full phone number."""
    people = people_for(user)
    text = query.strip()
    if len(text) == 18:
        people = people.filter(id_number_index=blind_index(text.upper(), "person.id_number"))
    elif len(text) == 11 and text.isdigit():
        people = people.filter(phone_index=blind_index(text, "person.phone"))
    elif text:
        people = people.filter(name__contains=text)
    if region_code:
        people = people.filter(region_code=region_code)
    return people.order_by("id")
