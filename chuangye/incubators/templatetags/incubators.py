"""Display helpers for the incubator pages: region names and percentages."""

import functools
from fractions import Fraction
from typing import Any

from django import template

from chuangye.incubators.params import format_rate

register = template.Library()


@functools.lru_cache(maxsize=512)
def _region_name(code: str) -> str:
    from chuangye.core.models import Region

    name = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return f"{name}（{code}）" if name else code


@register.filter
def region_name(code: str) -> str:
    return _region_name(str(code or ""))


@register.filter
def pct(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = Fraction(value)
        except ValueError:
            return str(value)
    return format_rate(Fraction(value))
