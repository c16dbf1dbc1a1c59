"""Shared pieces of the services pages: the frame a page renders in and the refusal handling."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.core.models import Region

STAFF = (Role.OFFICER, Role.SUPERVISOR)


def _attempt(request: HttpRequest, render_page: Callable[[str, int], HttpResponse], run: Callable[[], Any]) -> Any:
    """Run an action; on a refusal, return the page re-rendered with the message (the caller returns it)."""
    try:
        return run()
    except DomainError as error:
        return render_page(error.message, error.status)


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """Citizens and visitors see the portal's frame; staff, partners and mentors the workbench's."""
    institutional = getattr(_me(request), "is_institutional", False)
    base = "workbench/base.html" if institutional else "portal/base.html"
    return render(request, template, {**context, "base": base}, status=status)


def _me(request: HttpRequest) -> Any:
    """The signed-in account (every view here is declared, so a view that needs one has one)."""
    return request.user


def _is_staff(user: Any) -> bool:
    return getattr(user, "role", None) in STAFF


def _region_label(code: str) -> str:
    if not code:
        return "全国"
    return Region.objects.filter(code=code).values_list("full_name", flat=True).first() or code
