"""The training app's facts for the policy engine (``registry.facts.register_provider``): the courses a person has
already had a training subsidy claimed or paid for, which the once-per-course rule of ``subsidy.training`` reads."""

import datetime as dt
from collections import defaultdict
from typing import Any

from chuangye.registry.facts import ids_filter
from chuangye.training.models import ClaimLine


def subsidised_courses(person_ids: list[int], on: dt.date) -> dict[int, dict[str, Any]]:
    courses: dict[int, set[str]] = defaultdict(set)
    wanted = set(person_ids)
    rows = ClaimLine.objects.filter(
        ids_filter(person_ids),
        status__in=[ClaimLine.Status.CLAIMED, ClaimLine.Status.PAID],
        claim__submitted_at__date__lte=on,
    ).values_list("person_id", "course")
    for person_id, course in rows:
        if person_id in wanted:
            courses[person_id].add(course)
    return {person_id: {"previously_subsidised_courses": sorted(found)} for person_id, found in courses.items()}
