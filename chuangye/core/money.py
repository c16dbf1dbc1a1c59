"""Money: Decimal yuan, rounded half-up to the 分 in exactly one place (``to_fen``).

Parsing never rounds silently: a value with more than two decimals is refused, naming the field.
"""

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import models

from chuangye.core.errors import FieldValueError

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def to_fen(amount: Decimal) -> Decimal:
    """Round a computed amount to the 分, half-up (四舍五入). The only rounding of money in the platform."""
    if not isinstance(amount, Decimal):
        raise TypeError("money must be Decimal, not " + type(amount).__name__)
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def money_limit() -> Decimal:
    """The largest amount a money column holds."""
    whole_digits = settings.MONEY_MAX_DIGITS - settings.MONEY_DECIMAL_PLACES
    return Decimal(10) ** whole_digits - FEN


def parse_money(
    value: Any,
    *,
    field: str,
    label: str,
    allow_negative: bool = False,
    allow_zero: bool = True,
    maximum: Decimal | None = None,
) -> Decimal:
    """Read a user-supplied amount in yuan (string, int or Decimal), refusing anything that is not exact.

    Floats are refused: they cannot carry an exact 分 amount.
    """
    if isinstance(value, bool | float) or value is None:
        raise FieldValueError(field, label, "必须是以元为单位的金额，例如 1234.56")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise FieldValueError(field, label, "不是有效的金额，例如 1234.56") from None
    if not amount.is_finite():
        raise FieldValueError(field, label, "不是有效的金额，例如 1234.56")
    if amount != amount.quantize(FEN, rounding=ROUND_DOWN):
        raise FieldValueError(field, label, "最多保留两位小数（精确到分）")
    if amount < 0 and not allow_negative:
        raise FieldValueError(field, label, "不能为负数")
    if amount == 0 and not allow_zero:
        raise FieldValueError(field, label, "必须大于零")
    limit = money_limit() if maximum is None else min(maximum, money_limit())
    if abs(amount) > limit:
        raise FieldValueError(field, label, f"不能超过 {limit:,.2f} 元")
    return amount.quantize(FEN)


def allocate(total: Decimal, weights: Sequence[Decimal | int]) -> list[Decimal]:
    """Split ``total`` (whole 分) into parts proportional to ``weights``; the parts always sum to ``total``.

    Largest-remainder method on integer 分: each part gets its floor share, then the leftover 分 go one each to
    the parts with the largest remainders (ties to the earlier part), so the result is deterministic.
    """
    if total != total.quantize(FEN):
        raise ValueError("total must be a whole number of 分")
    if not weights:
        raise ValueError("at least one weight is needed")
    weights_d = [Decimal(w) for w in weights]
    if any(w < 0 for w in weights_d):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights_d, Decimal(0))
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    total_fen = int(total / FEN)
    sign = -1 if total_fen < 0 else 1
    remaining = abs(total_fen)
    floors: list[int] = []
    remainders: list[Decimal] = []
    for w in weights_d:
        exact = Decimal(abs(total_fen)) * w / weight_sum
        floors.append(int(exact))
        remainders.append(exact - int(exact))
        remaining -= floors[-1]
    order = sorted(range(len(floors)), key=lambda i: (-remainders[i], i))
    for i in order[:remaining]:
        floors[i] += 1
    return [Decimal(sign * fen) * FEN for fen in floors]


class MoneyField(models.DecimalField):  # type: ignore[type-arg]
    """The money column convention: Decimal yuan sized by settings. Models that must never go negative say so
    with a check constraint, so the database refuses it too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", settings.MONEY_MAX_DIGITS)
        kwargs.setdefault("decimal_places", settings.MONEY_DECIMAL_PLACES)
        super().__init__(*args, **kwargs)
