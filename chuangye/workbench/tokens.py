"""A partner organisation's API tokens: issue (the key is shown once), list, revoke."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chuangye.accounts import actions
from chuangye.accounts.access import roles
from chuangye.accounts.models import API_SCOPES, ApiToken, Role
from chuangye.core.errors import DomainError


def tokens_for(user: Any) -> Any:
    """Tokens of the user's organisation: partner staff manage their own organisation's keys, nobody else's."""
    if user.role != Role.PARTNER or user.organisation_id is None:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user__organisation_id=user.organisation_id).select_related("user")


@roles(Role.PARTNER)
def token_list(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"tokens": tokens_for(request.user).order_by("-created_at"), "scopes": API_SCOPES}
    if request.method == "POST":
        try:
            days = int(request.POST.get("days") or 365)
            scopes = [s for s in request.POST.getlist("scopes") if s in API_SCOPES]
            token, key = actions.api_token_issue(
                actor=request.user,
                user=request.user,  # type: ignore[arg-type]
                name=(request.POST.get("name") or "").strip()[:100] or "未命名",
                scopes=scopes,
                days=days,
                request=request,
            )
        except (DomainError, ValueError) as error:
            context["error"] = getattr(error, "message", "「有效天数」应为整数")
        else:
            context["new_key"], context["new_token"] = key, token
    return render(request, "workbench/tokens.html", context)


@roles(Role.PARTNER)
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = tokens_for(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    actions.api_token_revoke(actor=request.user, token=token, request=request)
    return redirect("workbench:tokens")
