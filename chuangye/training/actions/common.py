"""Shared pieces of the training actions: constants, parameters, the audit helper, role checks and parsers."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest

from chuangye.accounts.models import Role
from chuangye.core.audit import record_event
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.regions import in_scope
from chuangye.policies.facts import COURSES
from chuangye.policies.resolver import snapshot_for
from chuangye.training.access import institution_of
from chuangye.training.models import Institution

POLICY = "subsidy.training"
QR_SALT = "training.attendance"
# A session's code is accepted from shortly before it starts until shortly after it ends.
QR_EARLY = dt.timedelta(minutes=30)
QR_LATE = dt.timedelta(minutes=30)
MAX_CAPACITY = 500


def param_value(name: str, region_code: str, on: dt.date) -> Any:
    """A training parameter's value for a region on a day (national default unless the region overrides it)."""
    return snapshot_for(on=on, region_code=region_code).value(name)


def _audit(action: str, actor: Any, obj: Any, region: str, request: HttpRequest | None, **details: Any) -> None:
    record_event(
        f"training.{action}",
        actor=actor,
        object_type=f"training.{type(obj).__name__}",
        object_id=obj.pk,
        region_code=region,
        details=details,
        request=request,
    )


def _require_staff(actor: Any, region_code: str) -> None:
    if getattr(actor, "role", None) not in (Role.OFFICER, Role.SUPERVISOR) or not in_scope(
        actor.region_code, region_code
    ):
        raise DomainError("只有本地区人社部门经办人员可以办理", code="forbidden", status=403)


def _require_institution(actor: Any) -> Institution:
    institution = institution_of(actor)
    if institution is None:
        raise DomainError("只有列入目录的培训机构可以办理", code="forbidden", status=403)
    return institution


def _date(value: Any, field: str, label: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise FieldValueError(field, label, "应为日期，格式 YYYY-MM-DD") from None


def _int(value: Any, field: str, label: str, *, low: int, high: int) -> int:
    text = str(value or "").strip()
    if not text.isdigit():
        raise FieldValueError(field, label, "应为整数")
    number = int(text)
    if not low <= number <= high:
        raise FieldValueError(field, label, f"应在 {low} 至 {high} 之间")
    return number


def _courses(values: Iterable[str], field: str, label: str) -> list[str]:
    codes = sorted({str(v).strip().upper() for v in values if str(v).strip()})
    unknown = [c for c in codes if c not in COURSES]
    if unknown:
        raise FieldValueError(field, label, "含有未知课程：" + "、".join(unknown))
    if not codes:
        raise FieldValueError(field, label, "至少选择一门课程")
    return codes
