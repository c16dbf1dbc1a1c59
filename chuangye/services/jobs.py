"""The services' day-end sweep as a job (one part): mentors' visit reminders and overdue-question notices, both
idempotent by their dedupe keys."""

import datetime as dt
from typing import Any

from django.utils import timezone

from chuangye.jobs.kinds import JobKind, Part, register
from chuangye.services.actions import overdue_questions_send, visit_reminders_send


def split(params: dict[str, Any]) -> list[Part]:
    return [Part("全部地区", {})]


def run_part(params: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    today = dt.date.fromisoformat(params["on"]) if params.get("on") else timezone.localdate()
    return {"visits": visit_reminders_send(today=today), "overdue": overdue_questions_send(today=today)}


KIND = JobKind(
    "services.daily",
    "创业服务日终处理",
    split,
    run_part,
    summary=lambda r: f"走访提醒 {r.get('visits', 0)} 条；超期咨询 {r.get('overdue', 0)} 件",
)


def register_kind() -> None:
    register(KIND)
