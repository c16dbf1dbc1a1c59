"""Session rules: end all sessions on demand, a second factor for institutional accounts, password expiry,
and deny-by-default for every view."""

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from chuangye.accounts.passwords import password_expired

logger = logging.getLogger(__name__)
Handler = Callable[[HttpRequest], HttpResponse]
SESSION_GENERATION_KEY = "_account_generation"
# Paths an institutional user may reach before the second factor or a password change.
_ALWAYS_OPEN = ("/static/", "/healthz", "/logout/", "/login/")


class SessionGenerationMiddleware:
    """A session is valid only while it carries the user's current ``session_generation``; bumping the number
    (logout, deactivation, password reset) ends every session of that user, whatever the session store."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            stored = request.session.get(SESSION_GENERATION_KEY)
            if stored != user.session_generation:
                logout(request)
        return self.get_response(request)


class SecondFactorMiddleware:
    """Institutional accounts must have passed TOTP in this session. Sessions are only created after the second
    factor (see views.login_otp); this is the belt to that brace, for sessions made any other way."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if (
            user.is_authenticated
            and user.is_institutional
            and not user.is_verified()
            and not request.path.startswith(_ALWAYS_OPEN)
        ):
            logout(request)
            return redirect("login")
        return self.get_response(request)


class PasswordExpiryMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        open_paths = (*_ALWAYS_OPEN, "/account/password/")
        if user.is_authenticated and password_expired(user) and not request.path.startswith(open_paths):
            if request.path.startswith("/api/"):
                return HttpResponse(status=403)
            return redirect("accounts:password_change")
        return self.get_response(request)


class DenyByDefaultMiddleware:
    """Refuse any view that does not declare who may use it (see ``access``). The admin site and the API carry
    their own checks (admin: role-based permissions; API: authentication on by default)."""

    # The admin site checks roles itself; the API requires authentication unless a route says auth=None.
    EXEMPT_NAMESPACES = frozenset({"admin", "api"})
    EXEMPT_MODULES = ("django.contrib.staticfiles", "django.views.static")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        if getattr(view, "access_policy", None) is not None:
            return
        match = request.resolver_match
        if match is not None and self.EXEMPT_NAMESPACES & set(match.namespaces):
            return
        module = getattr(view, "__module__", "") or ""
        if module.startswith(self.EXEMPT_MODULES):
            return
        logger.error("view %s.%s declares no access policy; refused", module, getattr(view, "__name__", view))
        raise Http404
