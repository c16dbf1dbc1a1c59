"""Who may use what: the declarations every view carries, and the scope rules every scoped fetch applies.

Deny by default: a view without a declaration is refused by ``DenyByDefaultMiddleware`` (and a test lists it).
Declare with ``@public`` (the explicit allow-list), ``@signed_in`` (any account) or ``@roles(...)``.
Objects out of a user's scope are reported exactly like missing ones (404), so ids cannot be probed.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django_ratelimit.decorators import ratelimit

from chuangye.accounts.models import STAFF_ROLES, Role
from chuangye.core.regions import significant_prefix

View = TypeVar("View", bound=Callable[..., HttpResponseBase])
PUBLIC = "public"
SIGNED_IN = "signed_in"


def public(view: View) -> View:
    """Anyone, signed in or not, may use this view."""
    view.access_policy = PUBLIC  # type: ignore[attr-defined]
    return view


def _guard(view: View, allowed: frozenset[str] | None) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if allowed is not None and getattr(request.user, "role", None) not in allowed:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.access_policy = SIGNED_IN if allowed is None else allowed  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def signed_in(view: View) -> View:
    """Any signed-in account (the second factor is enforced by middleware for institutional roles)."""
    return _guard(view, None)


def roles(*allowed: str) -> Callable[[View], View]:
    """Only accounts holding one of these roles; others get 403, anonymous users the login page."""

    def decorator(view: View) -> View:
        return _guard(view, frozenset(allowed))

    return decorator


def require_role(user: Any, allowed: Iterable[str]) -> None:
    """For API endpoints and actions: raise PermissionDenied unless the user holds one of the roles."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) not in set(allowed):
        raise PermissionDenied


def region_filter(user: Any, field: str = "region_code") -> Q | None:
    """The filter that keeps rows in a staff user's region, or None if the user has no regional scope.

    The one place the prefix rule is turned into a query; ``core.regions.in_scope`` is the same rule for one code.
    """
    if getattr(user, "role", None) not in STAFF_ROLES or not getattr(user, "region_code", ""):
        return None
    prefix = significant_prefix(user.region_code)
    if not prefix:
        return Q()
    if len(prefix) == 6:
        # A county's scope is its own code: equality, which a region-sharded database (docs/deployment.md §9)
        # routes to one shard, where a LIKE prefix would go to all of them.
        return Q(**{field: prefix})
    # A city or province: the range of six-digit codes under the prefix. The same rows as a LIKE prefix, but a
    # b-tree index serves it whatever the database's collation (LIKE 'x%' needs the C collation to use one).
    return Q(**{f"{field}__gte": prefix.ljust(6, "0"), f"{field}__lte": prefix.ljust(6, "9")})


def is_staff_role(user: Any) -> bool:
    return getattr(user, "role", None) in STAFF_ROLES


def is_citizen(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and user.role == Role.CITIZEN


def throttle(rate: str, key: str = "ip", method: str = "POST") -> Callable[[View], View]:
    """Limit a view's requests (django-ratelimit, counters in the shared cache); over the limit answers 429."""
    return cast(Callable[[View], View], ratelimit(key=key, rate=rate, method=method, block=True))
