"""Log in with a username (staff, partners) or a phone number or resident ID number (citizens)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from chuangye.accounts.models import User
from chuangye.core.pii import blind_index


def find_account(identifier: str) -> User | None:
    """The account an identifier names: a username, an 11-digit phone, or an 18-character ID number."""
    value = (identifier or "").strip()
    if not value:
        return None
    user = User.objects.filter(username=value).first()
    if user is not None:
        return user
    if len(value) == 11 and value.isdigit():
        return User.objects.filter(phone_index=blind_index(value, "user.phone")).first()
    if len(value) == 18:
        index = blind_index(value.upper(), "person.id_number")
        return User.objects.filter(person__id_number_index=index).first()
    return None


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The key django-axes counts failures under: the resolved account's username when there is one."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    account = find_account(str(raw))
    return account.username if account else str(raw).strip()[:150]


class AccountBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or not password:
            return None
        user = find_account(username)
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not reveal accounts
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and role_has_perm(getattr(user_obj, "role", ""), perm))

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return bool(user_obj.is_active and role_has_module_perms(getattr(user_obj, "role", ""), app_label))


# Role-based permissions for the administration site (MLPS 8.1.4.2 d: three administrators, separate duties).
# The system administrator runs accounts and reference data but cannot read the audit trail; the security
# administrator handles lockouts, second factors and tokens; the auditor reads everything and changes nothing.
# Personal data (registry) is not administered here at all: it is reached through the workbench and its scopes.
_SYSADMIN = {
    "accounts.user",
    "accounts.organisation",
    "core.calendaryear",
    "core.calendarday",
    "core.region",
    "finance.lprrate",
    "finance.financialproduct",
    "loans.guaranteefund",
    "loans.loanparameteroverride",
}
_SECADMIN = {"accounts.apitoken", "axes.accessattempt", "axes.accessfailurelog", "otp_totp.totpdevice"}
_READ_ONLY_FOR_SECADMIN = {"accounts.user", "core.auditevent", "axes.accesslog"}
_AUDITED_APPS = {"accounts", "core", "axes", "otp_totp", "policies", "finance", "loans"}


def role_has_perm(role: str, perm: str) -> bool:
    app, _, codename = perm.partition(".")
    action, _, model = codename.partition("_")
    label = f"{app}.{model}"
    if role == "sysadmin":
        return label in _SYSADMIN and not (label == "core.region" and action != "view")
    if role == "secadmin":
        return label in _SECADMIN or (label in _READ_ONLY_FOR_SECADMIN and action in ("view", "change"))
    if role == "auditor":
        return action == "view" and app in _AUDITED_APPS
    return False


def role_has_module_perms(role: str, app_label: str) -> bool:
    labels = {"sysadmin": _SYSADMIN, "secadmin": _SECADMIN | _READ_ONLY_FOR_SECADMIN}.get(role)
    if role == "auditor":
        return app_label in _AUDITED_APPS
    return any(label.startswith(app_label + ".") for label in labels or ())
