"""Whose figures a user may see: staff see their own region and everything under it (the prefix rule of
``region_filter``); any other region answers 404, exactly like a missing one."""

from typing import Any

from django.http import Http404

from chuangye.accounts.access import is_staff_role
from chuangye.core.models import Region
from chuangye.core.regions import in_scope, significant_prefix


def report_region(user: Any, code: str = "") -> Region:
    """The region ``code`` (the user's own when blank) if the user's scope covers it; otherwise 404."""
    if not is_staff_role(user) or not getattr(user, "region_code", ""):
        raise Http404
    code = (code or user.region_code).strip()
    if len(code) != 6 or not code.isdigit() or not in_scope(user.region_code, code):
        raise Http404
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    return region


def prefix_of(region: Region) -> str:
    return significant_prefix(region.code)


def public_region(code: str) -> Region | None:
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit():
        return None
    return Region.objects.filter(code=code).first()
