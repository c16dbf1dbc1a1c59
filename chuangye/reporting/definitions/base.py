"""Shared pieces of the KPI definitions: the topic names and the column and aggregate helpers."""

import datetime as dt
from typing import Any

from chuangye.core.pii import mask_id_number
from chuangye.reporting.kpi import count, fen_sum

REGISTRY_TOPIC, CASES_TOPIC, LOANS_TOPIC, POLICIES_TOPIC, INCUBATORS_TOPIC = (
    "登记与重点群体",
    "政务服务办件",
    "创业担保贷款",
    "政策找人与免申即享",
    "创业孵化",
)
TRAINING_TOPIC, FLEXIBLE_TOPIC = "创业培训", "零工市场与灵活就业"


def _masked_person(person: Any) -> str:
    if person is None:
        return ""
    return f"{person.name}（{mask_id_number(person.id_number) if person.id_number else '—'}）"


def _date(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%Y-%m-%d")
    return str(value.isoformat())


def _count_of(n: str = "pk", *, distinct: bool = False) -> Any:
    return lambda: {"value": count(n, distinct=distinct), "n": count(n, distinct=distinct)}


def _money_of(field_name: str) -> Any:
    return lambda: {"value": fen_sum(field_name), "n": count("pk", distinct=True)}
