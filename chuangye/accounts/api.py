"""API authentication (partner tokens and browser sessions), scope checks, and the caller's own account."""

import datetime as dt
import hmac
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from chuangye.accounts.models import ApiToken, hash_secret

router = Router(tags=["账户"])
_TOUCH_EVERY = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cy_<prefix>_<secret>``: a partner system acting as its organisation's account."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(ApiToken.PREFIX) or token.count("_") < 2:
            return None
        prefix = token[len(ApiToken.PREFIX) :].split("_", 1)[0]
        row = ApiToken.objects.select_related("user", "user__organisation").filter(key_prefix=prefix).first()
        if row is None or not hmac.compare_digest(row.key_hash, hash_secret(token)) or not row.is_usable():
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)  # at most one write a minute
        request.user = row.user
        request.api_token = row  # type: ignore[attr-defined]
        return row.user


class VerifiedSessionAuth(SessionAuth):
    """The browser session, for institutional accounts only once the second factor was passed."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a signed-in session there is nothing to forge, so the caller is simply unauthenticated (401);
        # django-ninja would otherwise refuse with an English "CSRF check Failed" 403 before asking who it is.
        if not request.user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError as exc:
            raise HttpError(403, "安全校验失败（CSRF 令牌缺失或不正确），请刷新页面后重试。") from exc

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user: Any = request.user
        if not user.is_authenticated:
            return None
        if user.is_institutional and not user.is_verified():
            return None
        return user


API_AUTH = [TokenAuth(), VerifiedSessionAuth()]


def require_scope(request: HttpRequest, scope: str) -> None:
    """A token may do only what its scopes name; a browser session has its role's full reach."""
    token = getattr(request, "api_token", None)
    if token is not None and scope not in token.scopes:
        raise PermissionDenied


class MeOut(Schema):
    username: str
    name: str
    role: str
    role_label: str
    region_code: str
    organisation: str | None
    phone: str


@router.get("/me", response=MeOut, summary="当前账户")
def me(request: HttpRequest) -> MeOut:
    user: Any = request.user
    return MeOut(
        username=user.username,
        name=user.display_name,
        role=user.role,
        role_label=user.get_role_display(),
        region_code=user.region_code,
        organisation=user.organisation.name if user.organisation_id else None,
        phone=user.phone_masked,
    )
