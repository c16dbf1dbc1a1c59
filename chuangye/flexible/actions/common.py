"""Shared pieces of the flexible-employment actions: limits, input parsers, scope checks and the audit helper."""

import datetime as dt
from typing import Any

from django.http import HttpRequest

from chuangye.accounts.access import is_staff_role
from chuangye.accounts.models import Role
from chuangye.core.audit import record_event
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.regions import in_scope
from chuangye.flexible.models import Block
from chuangye.registry.models import Person

MAX_HEADCOUNT = 200
MAX_CLAIM_MONTHS = 12


def _text(value: object, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if not text and required:
        raise FieldValueError(field, label, "不能为空")
    if len(text) > max_length:
        raise FieldValueError(field, label, f"不能超过{max_length}个字")
    if text and text[0] in "=+-@":
        raise FieldValueError(field, label, "不能以公式符号开头")
    return text


def _date(value: object, field: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise FieldValueError(field, label, "应为日期，格式 YYYY-MM-DD") from None


def _time(value: object, field: str, label: str) -> dt.time:
    try:
        return dt.time.fromisoformat(str(value or "").strip())
    except ValueError:
        raise FieldValueError(field, label, "应为时间，格式 HH:MM") from None


def _month(value: object, field: str, label: str) -> dt.date:
    text = str(value or "").strip()
    try:
        return dt.date.fromisoformat(f"{text}-01") if len(text) == 7 else dt.date.fromisoformat(text).replace(day=1)
    except ValueError:
        raise FieldValueError(field, label, "应为月份，格式 YYYY-MM") from None


def _int(value: object, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(str(value or "").strip())
    except ValueError:
        raise FieldValueError(field, label, "应为整数") from None
    if not low <= number <= high:
        raise FieldValueError(field, label, f"应在 {low} 到 {high} 之间")
    return number


def _choice(value: object, choices: Any, field: str, label: str) -> str:
    text = str(value or "")
    if text not in choices.values:
        raise FieldValueError(field, label, "请从列表中选择")
    return text


def _person(actor: Any) -> Person:
    person = getattr(actor, "person", None) if getattr(actor, "role", None) == Role.CITIZEN else None
    if not isinstance(person, Person):
        raise DomainError("请先完成实名登记（个人信息）后再办理", code="no_person", status=403)
    return person


def _require_staff_in(actor: Any, region_code: str) -> None:
    if not is_staff_role(actor) or not in_scope(actor.region_code, region_code):
        raise DomainError("不在您的管辖范围内", code="forbidden", status=403)


def is_blocked(user: Any) -> bool:
    return Block.objects.filter(user=user, lifted_at__isnull=True).exists()


def _not_blocked(user: Any) -> None:
    if is_blocked(user):
        raise DomainError("您的账号因被举报核实已暂停使用零工市场，请联系零工服务专区", code="blocked", status=403)


def _audit(action: str, actor: Any, obj: Any, region_code: str, request: HttpRequest | None, **details: Any) -> None:
    record_event(
        f"flexible.{action}",
        actor=actor,
        object_type=type(obj).__name__.lower(),
        object_id=obj.pk,
        region_code=region_code,
        details=details,
        request=request,
    )
