"""Shared pieces of the services actions: limits, the permission error and the field parsers."""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone

from chuangye.accounts.models import Role, User
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.regions import in_scope, level_of, validate_region_code

QUESTION_FILES = "services_question"
MAX_BODY = 5000
FIRST_CONTACT_DAYS = 7  # 主动对接: the mentor reaches out within a week of the pairing
KEY_PROJECT_INTERVAL_DAYS = 14  # 跟踪陪跑: key projects are visited at least every two weeks
REMIND_AHEAD_DAYS = 3


def forbidden(message: str) -> DomainError:
    return DomainError(message=message, code="forbidden", status=403)


def _text(value: object, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if not text:
        if required:
            raise FieldValueError(field, label, "不能为空")
        return ""
    if len(text) > max_length:
        raise FieldValueError(field, label, f"不能超过{max_length}个字")
    if text[0] in "=+-@":
        raise FieldValueError(field, label, "不能以公式符号开头")
    return text


def _int(value: object, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise FieldValueError(field, label, "应为整数") from None
    if not low <= number <= high:
        raise FieldValueError(field, label, f"应在{low}到{high}之间")
    return number


def _choices(values: Sequence[str], allowed: Mapping[str, str], field: str, label: str) -> list[str]:
    picked = [str(v) for v in values if str(v)]
    unknown = [v for v in picked if v not in allowed]
    if unknown:
        raise FieldValueError(field, label, f"包含不认识的选项：{'、'.join(unknown)}")
    return sorted(set(picked))


def _county(value: object, field: str = "region_code", label: str = "所在地区") -> str:
    code = validate_region_code(value, field=field, label=label)
    if level_of(code) != "county":
        raise FieldValueError(field, label, "应选择到县（市、区）")
    return code


def _staff_in_scope(actor: Any, region_code: str, what: str) -> None:
    if actor.role not in (Role.OFFICER, Role.SUPERVISOR) or not in_scope(actor.region_code, region_code):
        raise forbidden(f"只有该地区的经办人员可以{what}")


def _region_officers(region_code: str) -> list[User]:
    return list(User.objects.filter(role=Role.OFFICER, region_code=region_code, is_active=True))


def _datetime(value: object, field: str, label: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(value or "").strip())
    except ValueError:
        raise FieldValueError(field, label, "应为日期时间，例如 2026-12-01T09:30") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def pk_of(value: object) -> int:
    """A form's id field as an int; anything else is 0, which matches no row."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() else 0
