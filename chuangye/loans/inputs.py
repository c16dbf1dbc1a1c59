"""Reading user and partner input for loan actions: dates, rates, choices and short texts, each refused with a
Chinese message naming the field."""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from chuangye.core.errors import FieldValueError

RATE_PLACES = Decimal("0.000001")


def req_date(value: object, *, field: str, label: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise FieldValueError(field, label, "应为日期，格式 YYYY-MM-DD") from None


def parse_spread(value: object, *, field: str = "spread", label: str = "利率加点") -> Decimal:
    """A spread over the LPR as a fraction ("0.005") or in percent ("0.5%"); may be negative; 6 decimals at most."""
    if isinstance(value, bool | float) or value is None or str(value).strip() == "":
        raise FieldValueError(field, label, '应为文本形式的小数，例如 "0.005" 或 "0.5%"')
    text = str(value).strip()
    try:
        rate = Decimal(text.rstrip("%").strip())
    except InvalidOperation:
        raise FieldValueError(field, label, '不是有效的利率，例如 "0.005" 或 "0.5%"') from None
    if not rate.is_finite():
        raise FieldValueError(field, label, '不是有效的利率，例如 "0.005" 或 "0.5%"')
    if text.endswith("%"):
        rate /= 100
    if abs(rate) >= Decimal("0.5"):
        raise FieldValueError(field, label, "绝对值应小于 50%")
    if rate != rate.quantize(RATE_PLACES):
        raise FieldValueError(field, label, "精度不能超过 0.0001%（小数点后 6 位）")
    return rate


def choice(value: object, choices: Mapping[str, str], *, field: str, label: str) -> str:
    text = str(value or "").strip()
    if text not in choices:
        raise FieldValueError(field, label, "应为以下之一：" + "、".join(f"{k}（{v}）" for k, v in choices.items()))
    return text


def int_between(value: object, low: int, high: int, *, field: str, label: str, rule: str = "") -> int:
    text = str(value if value is not None else "").strip()
    if isinstance(value, bool) or not text.lstrip("-").isdigit() or not low <= int(text) <= high:
        raise FieldValueError(field, label, f"应为 {low} 至 {high} 之间的整数" + (f"（{rule}）" if rule else ""))
    return int(text)


def short_text(value: object, *, field: str, label: str, low: int = 1, high: int = 200) -> str:
    text = str(value or "").strip()
    if not low <= len(text) <= high:
        raise FieldValueError(field, label, f"应为{low}至{high}个字")
    if text[0] in "=+-@":
        raise FieldValueError(field, label, "不能以公式符号开头")
    return text
