"""Facts this app knows for the policy engine (registry.facts provider): months of social-insurance subsidy
already received and the date of the first approval."""

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Min

from chuangye.flexible.models import SubsidyEnrolment, SubsidyMonth
from chuangye.registry.facts import ids_filter


def subsidy_facts(person_ids: list[int], on: dt.date) -> dict[int, dict[str, Any]]:
    months = Counter(
        SubsidyMonth.objects.filter(ids_filter(person_ids), month__lte=on).values_list("person_id", flat=True)
    )
    first = dict(
        SubsidyEnrolment.objects.filter(ids_filter(person_ids), approved_on__isnull=False, approved_on__lte=on)
        .values("person_id")
        .annotate(first=Min("approved_on"))
        .values_list("person_id", "first")
    )
    result: dict[int, dict[str, Any]] = {}
    for person_id in person_ids:
        facts: dict[str, Any] = {"si_subsidy_months_received": months.get(person_id, 0)}
        if person_id in first:
            facts["first_si_subsidy_date"] = first[person_id].isoformat()
        result[person_id] = facts
    return result
