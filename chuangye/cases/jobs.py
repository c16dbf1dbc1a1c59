"""Deadline marking as a job split across workers: one part per county that has open cases with a time limit."""

from typing import Any

from chuangye.cases.sweeps import mark_deadlines, open_cases_with_deadlines
from chuangye.jobs.kinds import JobKind, Part, register


def split(params: dict[str, Any]) -> list[Part]:
    regions = open_cases_with_deadlines().values_list("region_code", flat=True).distinct().order_by("region_code")
    return [Part(f"行政区划 {code}", {"region": code}) for code in regions]


def run_part(params: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    result = mark_deadlines(region_prefix=part["region"])
    return {"due_soon": result.due_soon, "overdue": result.overdue}


def summary(result: dict[str, Any]) -> str:
    return f"即将到期 {result.get('due_soon', 0)} 件，新超期 {result.get('overdue', 0)} 件"


KIND = JobKind("cases.deadlines", "办件时限提醒", split, run_part, summary=summary)


def register_kind() -> None:
    register(KIND)
