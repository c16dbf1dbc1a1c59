"""The one adapter from the platform's records to the policy engine's facts (the engine never reads models).

``person_facts`` gives one person's facts as of a date, as the JSON-shaped dictionary the engine's vocabulary
accepts; ``people_facts`` does the same for many people with a fixed number of queries, for scans. Apps that hold
facts of their own (loans: earlier guaranteed loans and arrears; flexible employment: registration, social-insurance
contributions; training: courses and certificates) add a provider with ``register_provider``.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Min

from chuangye.registry.models import Employment, Founder, KeyGroupStatus, Person
from chuangye.registry.selectors import in_force

# (person ids, on) -> {person id: {fact: value}}; called once per batch, so a provider costs a few queries.
Provider = Callable[[list[int], dt.date], dict[int, dict[str, Any]]]
_PROVIDERS: list[Provider] = []

EMPLOYED = {Employment.EMPLOYED, Employment.SELF_EMPLOYED}


def register_provider(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def _base(person: Person) -> dict[str, Any]:
    facts: dict[str, Any] = {"birth_date": person.birth_date.isoformat(), "sex": person.sex}
    if person.graduation_date:
        facts["graduation_date"] = person.graduation_date.isoformat()
    if person.employment != Employment.UNKNOWN:
        facts["employed"] = person.employment in EMPLOYED
        facts["flexible_employment_registered"] = person.employment == Employment.FLEXIBLE
    return facts


def people_facts(people: Iterable[Person], on: dt.date) -> dict[int, dict[str, Any]]:
    """Facts for each person on ``on``: identity, key groups in force that day, first business, then providers."""
    people = list(people)
    ids = [p.pk for p in people]
    groups: dict[int, set[str]] = defaultdict(set)
    statuses = KeyGroupStatus.objects.filter(in_force(on), person_id__in=ids).values_list("person_id", "category__fact")
    for person_id, fact in statuses:
        groups[person_id].add(fact)
    started = dict(
        Founder.objects.filter(person_id__in=ids, business__registered_on__lte=on)
        .values("person_id")
        .annotate(first=Min("business__registered_on"))
        .values_list("person_id", "first")
    )
    result: dict[int, dict[str, Any]] = {}
    for person in people:
        facts = _base(person)
        facts["key_groups"] = sorted(groups.get(person.pk, ()))
        if person.pk in started:
            facts["business_started_on"] = started[person.pk].isoformat()
            # Assumption: a person whose earliest business is the one in question is a first-time founder; the
            # registry cannot see businesses registered before the platform, so the case worker may correct it.
            facts["first_business"] = True
        result[person.pk] = facts
    for provider in _PROVIDERS:
        for person_id, extra in provider(ids, on).items():
            result.setdefault(person_id, {}).update(extra)
    return result


def person_facts(person: Person, on: dt.date) -> dict[str, Any]:
    return people_facts([person], on)[person.pk]
