"""Sign-up, login (with TOTP for institutional accounts), logout, password reset and change."""

import datetime as dt
from typing import Any

import segno
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from chuangye.accounts import actions
from chuangye.accounts.access import public, signed_in, throttle
from chuangye.accounts.backends import axes_username, find_account
from chuangye.accounts.forms import CodePasswordForm, LoginForm, OtpForm, PasswordChangeForm, PhoneForm, SignupForm
from chuangye.accounts.middleware import SESSION_GENERATION_KEY
from chuangye.accounts.models import PhoneCode, User
from chuangye.core.audit import record_event
from chuangye.core.errors import DomainError, FieldValueError

PENDING_KEY = "_pending_login"
PENDING_TTL = dt.timedelta(minutes=5)


def _next_url(request: HttpRequest, user: Any) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/workbench/" if user.is_institutional else "/me/"


def _complete_login(request: HttpRequest, user: User, device: TOTPDevice | None = None) -> None:
    login(request, user, backend="chuangye.accounts.backends.AccountBackend")  # rotates the session key
    if device is not None:
        otp_login(request, device)
    request.session[SESSION_GENERATION_KEY] = user.session_generation
    request.session.pop(PENDING_KEY, None)
    record_event("login.success", actor=user, object_type="user", object_id=user.pk, request=request)


@public
@throttle("30/m")
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is None:
            known = find_account(form.cleaned_data["username"])
            record_event(
                "login.failed",
                outcome="failure",
                object_type="user",
                object_id=known.pk if known else "",
                details={"account": axes_username(request) if known else "（未知账号）"},
                request=request,
            )
            form.add_error(None, "账号或密码不正确，或账户已停用。")
        elif user.is_institutional:
            # Password alone gives no session: the account is signed in only after the second factor.
            request.session.cycle_key()
            request.session[PENDING_KEY] = {"user": user.pk, "at": timezone.now().isoformat()}
            return redirect(f"/login/otp/?next={_next_url(request, user)}")
        else:
            _complete_login(request, user)
            return redirect(_next_url(request, user))
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or timezone.now() - dt.datetime.fromisoformat(pending["at"]) > PENDING_TTL:
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


@public
@throttle("30/m")
def login_otp(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("login")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if device is None:
        device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "身份验证器"})
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):  # records the time step: a code works once
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record_event("otp.enrol", actor=user, object_type="user", object_id=user.pk, request=request)
            _complete_login(request, user, device)
            return redirect(_next_url(request, user))
        record_event("login.otp_failed", outcome="failure", object_type="user", object_id=user.pk, request=request)
        form.add_error("token", "动态验证码不正确、已过期或已使用过")
    context: dict[str, Any] = {"form": form, "enrolling": enrolling, "next": request.GET.get("next", "")}
    if enrolling:
        context["qr"] = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
        context["secret"] = _base32(device.bin_key)
    return render(request, "accounts/login_otp.html", context)


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode("ascii").rstrip("=")


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        actions.sessions_end_all(user=request.user, request=request)
    logout(request)
    return redirect("/")


def _send_code(request: HttpRequest, phone_form: PhoneForm, purpose: str) -> str | None:
    """Send a code for the form's phone; returns a notice for the page, or records the error on the form."""
    try:
        phone = actions.validate_phone(phone_form.data.get("phone"))
        if purpose == PhoneCode.Purpose.RESET and find_account(phone) is None:
            # Same answer whether or not the phone is registered: no account enumeration.
            return "如该手机号已注册，验证码已发送，5分钟内有效。"
        actions.phone_code_send(phone=phone, purpose=purpose, request=request)
    except DomainError as error:
        if isinstance(error, FieldValueError):
            phone_form.add_domain_error(error)
        else:
            phone_form.add_error(None, error.message)
        return None
    return (
        "验证码已发送，5分钟内有效。"
        if purpose == PhoneCode.Purpose.SIGNUP
        else "如该手机号已注册，验证码已发送，5分钟内有效。"
    )


@public
@throttle("10/m")
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    secret_form = CodePasswordForm(request.POST or None)
    notice = None
    if request.method == "POST" and request.POST.get("action") == "send_code":
        secret_form = CodePasswordForm()
        if form.is_valid():
            notice = _send_code(request, form, PhoneCode.Purpose.SIGNUP)  # type: ignore[arg-type]
    elif request.method == "POST" and form.is_valid() and secret_form.is_valid():
        data = {**form.cleaned_data, **secret_form.cleaned_data}
        try:
            phone = actions.validate_phone(data["phone"])
            actions.phone_code_check(phone=phone, purpose=PhoneCode.Purpose.SIGNUP, code=data["code"])
            user = actions.citizen_register(
                name=data["name"], id_number=data["id_number"], phone=phone, password=data["password"], request=request
            )
        except FieldValueError as error:
            (secret_form if error.field_name in secret_form.fields else form).add_domain_error(error)
        else:
            _complete_login(request, user)
            return redirect("/me/")
    return render(request, "accounts/signup.html", {"form": form, "secret_form": secret_form, "notice": notice})


@public
@throttle("10/m")
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PhoneForm(request.POST or None)
    secret_form = CodePasswordForm(request.POST or None)
    notice = None
    if request.method == "POST" and request.POST.get("action") == "send_code":
        secret_form = CodePasswordForm()
        if form.is_valid():
            notice = _send_code(request, form, PhoneCode.Purpose.RESET)
    elif request.method == "POST" and form.is_valid() and secret_form.is_valid():
        try:
            phone = actions.validate_phone(form.cleaned_data["phone"])
            actions.phone_code_check(
                phone=phone, purpose=PhoneCode.Purpose.RESET, code=secret_form.cleaned_data["code"]
            )
            actions.password_reset_by_phone(phone=phone, password=secret_form.cleaned_data["password"], request=request)
        except FieldValueError as error:
            (secret_form if error.field_name in secret_form.fields else form).add_domain_error(error)
        else:
            return render(request, "accounts/password_reset_done.html")
    return render(request, "accounts/password_reset.html", {"form": form, "secret_form": secret_form, "notice": notice})


@signed_in
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.password_change(
                user=request.user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                request=request,
            )
        except FieldValueError as error:
            form.add_domain_error(error)
        else:
            # A password change keeps this session (Django rotates its auth hash) and ends the others.
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            return redirect(_next_url(request, request.user))
    return render(request, "accounts/password_change.html", {"form": form})


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this once an account has failed too often (AXES_LOCKOUT_CALLABLE)."""
    record_event("login.locked_out", outcome="denied", details={"account": axes_username(request, credentials)})
    return render(request, "accounts/locked_out.html", status=429)


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """django-ratelimit calls this for a request over its limit (RATELIMIT_VIEW)."""
    if request.path.startswith("/api/"):
        body = {"code": "rate_limited", "message": "请求过于频繁，请稍后再试。", "errors": []}
        return JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False})
    return render(request, "accounts/rate_limited.html", status=429)
