"""政策找人 as a job split across workers: one part per county and batch of registrants (by id range), each part
an ordinary scan of those people (idempotent, see ``scan``), so parts may run in any order, on any worker, twice."""

import datetime as dt
from typing import Any

from django.db.models import Count

from chuangye.core.models import Region
from chuangye.jobs.kinds import JobKind, Part, register
from chuangye.policies.scan import scan
from chuangye.registry.models import Person

PART_SIZE = 20_000


def split(params: dict[str, Any]) -> list[Part]:
    prefix = str(params.get("region_prefix", ""))
    size = int(params.get("part_size", PART_SIZE))
    people = Person.objects.filter(anonymised_at__isnull=True, region_code__startswith=prefix)
    counties = list(people.values_list("region_code").annotate(n=Count("pk")).order_by("region_code"))
    names = dict(Region.objects.filter(code__in=[c for c, _ in counties]).values_list("code", "name"))
    parts = []
    for county, _ in counties:
        ids = list(people.filter(region_code=county).order_by("pk").values_list("pk", flat=True))
        batches = range(0, len(ids), size)
        for number, start in enumerate(batches, start=1):
            chunk = ids[start : start + size]
            label = (
                f"{names.get(county, county)} 第{number}批（{len(chunk)}人）"
                if len(batches) > 1
                else names.get(county, county) + f"（{len(chunk)}人）"
            )
            parts.append(Part(label, {"region": county, "id_from": chunk[0], "id_to": chunk[-1]}))
    return parts


def run_part(params: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    result = scan(
        region_prefix=part["region"],
        on=dt.date.fromisoformat(params["on"]) if params.get("on") else None,
        notify_people=bool(params.get("notify", True)),
        id_from=int(part["id_from"]),
        id_to=int(part["id_to"]),
    )
    return {
        "people": result.people,
        "changed": result.changed,
        "newly_eligible": result.newly_eligible,
        "grants": result.grants,
    }


def summary(result: dict[str, Any]) -> str:
    return (
        f"扫描 {result.get('people', 0)} 人，结果变化 {result.get('changed', 0)} 项，"
        f"新符合条件 {result.get('newly_eligible', 0)} 项，生成免申即享待确认办件 {result.get('grants', 0)} 件"
    )


KIND = JobKind("policies.scan", "政策找人", split, run_part, summary=summary)


def register_kind() -> None:
    register(KIND)
