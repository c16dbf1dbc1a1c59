from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """``{{ states|get_item:case.state }}``: a dictionary look-up by a variable key."""
    return mapping.get(key, key) if isinstance(mapping, dict) else key


@register.inclusion_tag("includes/app_nav.html", takes_context=True)
def app_nav(context: template.Context, area: str) -> dict[str, Any]:
    """The links other apps registered for this bar (``chuangye.core.nav``)."""
    from chuangye.core.nav import entries_for

    request = context.get("request")
    return {"entries": entries_for(area, getattr(request, "user", None))}


@register.filter
def policy_title(code: str) -> str:
    """The Chinese title of a policy of the catalogue, or the code itself when it is unknown."""
    from chuangye.policies.catalogue import CATALOGUE

    policy = CATALOGUE.get(code)
    return policy.title if policy is not None else code
