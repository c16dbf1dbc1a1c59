"""The policy engine's fact ``honour_city_level`` from honours held (competition awards at city level or above)."""

import datetime as dt
from typing import Any

from chuangye.cultivation.models import HONOUR_LEVELS, Honour
from chuangye.registry.facts import ids_filter


def honour_facts(person_ids: list[int], on: dt.date) -> dict[int, dict[str, Any]]:
    """``honour_city_level: True`` for each person holding, on ``on``, an honour at city level or above. People
    without one get no entry, so a fact declared elsewhere (a loan applicant's declaration) is not overwritten."""
    wanted = set(person_ids)
    holders = Honour.objects.filter(ids_filter(person_ids), level__in=HONOUR_LEVELS, awarded_on__lte=on)
    found = holders.values_list("person_id", flat=True)
    return {person_id: {"honour_city_level": True} for person_id in found if person_id in wanted}
