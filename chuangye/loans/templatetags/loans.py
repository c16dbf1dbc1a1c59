"""Template filters for loan pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(value: Decimal | None) -> str:
    """A rate kept as a fraction (0.0345) shown as a percentage (3.45%), exactly, without trailing zeros."""
    if value is None:
        return "—"
    shown = format((Decimal(value) * 100).normalize(), "f")
    return f"{shown}%"


@register.filter
def yuan(value: Decimal | None) -> str:
    """An amount in yuan with thousands separators and exactly two decimals: 1,533.33."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"
