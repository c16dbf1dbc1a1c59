"""Reading form and API input exactly, with a Chinese message naming the field when it is wrong."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from chuangye.core.errors import FieldValueError


def text(data: Any, name: str, label: str, *, min_len: int = 1, max_len: int = 200, required: bool = True) -> str:
    value = str(data.get(name) or "").strip()
    if not value:
        if required:
            raise FieldValueError(name, label, "不能为空")
        return ""
    if len(value) < min_len:
        raise FieldValueError(name, label, f"至少{min_len}个字")
    if len(value) > max_len:
        raise FieldValueError(name, label, f"不能超过{max_len}个字")
    return value


def integer(
    data: Any, name: str, label: str, *, minimum: int = 0, maximum: int = 10**6, default: int | None = None
) -> int:
    raw = data.get(name)
    if (raw is None or str(raw).strip() == "") and default is not None:
        return default
    if isinstance(raw, bool | float):
        raise FieldValueError(name, label, "应为整数")
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise FieldValueError(name, label, "应为整数") from None
    if value < minimum:
        raise FieldValueError(name, label, f"不能小于{minimum}")
    if value > maximum:
        raise FieldValueError(name, label, f"不能大于{maximum}")
    return value


def area(data: Any, name: str, label: str) -> Decimal:
    raw = data.get(name)
    if isinstance(raw, bool | float) or raw is None or str(raw).strip() == "":
        raise FieldValueError(name, label, "应为以平方米为单位的面积，例如 12.50")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise FieldValueError(name, label, "应为以平方米为单位的面积，例如 12.50") from None
    if not value.is_finite() or value <= 0:
        raise FieldValueError(name, label, "必须大于零")
    if value != value.quantize(Decimal("0.01")):
        raise FieldValueError(name, label, "最多保留两位小数")
    if value >= Decimal("100000000"):
        raise FieldValueError(name, label, "数值过大")
    return value


def date(data: Any, name: str, label: str, *, default: dt.date | None = None) -> dt.date:
    raw = data.get(name)
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if (raw is None or str(raw).strip() == "") and default is not None:
        return default
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise FieldValueError(name, label, "应为日期，例如 2026-03-01") from None


def moment(data: Any, name: str, label: str) -> dt.datetime:
    """A local date and time ("2026-03-01T09:00" from a datetime-local input, or ISO with an offset)."""
    raw = data.get(name)
    if isinstance(raw, dt.datetime):
        value = raw
    else:
        try:
            value = dt.datetime.fromisoformat(str(raw or "").strip())
        except ValueError:
            raise FieldValueError(name, label, "应为日期和时间，例如 2026-03-01 09:00") from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def flag(data: Any, name: str) -> bool:
    raw = data.get(name)
    if isinstance(raw, bool):
        return raw
    return str(raw or "").strip().lower() in ("on", "true", "1", "yes")


def choice(data: Any, name: str, label: str, choices: Any) -> str:
    value = str(data.get(name) or "").strip()
    valid = {c for c, _ in choices}
    if value not in valid:
        raise FieldValueError(name, label, "请选择有效的选项")
    return value
