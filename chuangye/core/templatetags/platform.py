from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """``{{ states|get_item:case.state }}``: a dictionary look-up by a variable key."""
    return mapping.get(key, key) if isinstance(mapping, dict) else key
