"""Every change to accounts: one function each, atomic, audited."""

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from chuangye.accounts.models import ApiToken, PhoneCode, Role, User, hash_secret
from chuangye.accounts.sms import send_sms
from chuangye.core.audit import record_event
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.ids import parse_resident_id
from chuangye.core.pii import blind_index
from chuangye.registry.models import Person

CODE_TTL = dt.timedelta(minutes=5)
CODE_MAX_ATTEMPTS = 5
CODE_RESEND_INTERVAL = dt.timedelta(seconds=60)
CODE_DAILY_LIMIT = 10


def validate_phone(value: object, *, field: str = "phone", label: str = "手机号") -> str:
    phone = str(value or "").strip().replace(" ", "").replace("-", "")
    if len(phone) != 11 or not phone.isdigit() or phone[0] != "1" or phone[1] not in "3456789":
        raise FieldValueError(field, label, "应为11位中国大陆手机号，例如 13812345678")
    return phone


def _code_hash(phone_index: str, purpose: str, code: str) -> str:
    return salted_hmac("chuangye.phone-code", f"{phone_index}:{purpose}:{code}").hexdigest()


def phone_code_send(*, phone: str, purpose: str, request: HttpRequest | None = None) -> None:
    """Send a one-time code unless one went out within the last minute or ten today (per phone)."""
    index = blind_index(phone, "user.phone")
    now = timezone.now()
    recent = PhoneCode.objects.filter(phone_index=index, purpose=purpose)
    if recent.filter(created_at__gt=now - CODE_RESEND_INTERVAL).exists():
        raise DomainError("验证码发送过于频繁，请1分钟后再试。", code="rate_limited", status=429)
    if recent.filter(created_at__gt=now - dt.timedelta(days=1)).count() >= CODE_DAILY_LIMIT:
        raise DomainError("今日验证码发送次数已达上限，请明天再试。", code="rate_limited", status=429)
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode.objects.create(
        phone_index=index, purpose=purpose, code_hash=_code_hash(index, purpose, code), expires_at=now + CODE_TTL
    )
    label = PhoneCode.Purpose(purpose).label
    transaction.on_commit(
        lambda: send_sms(phone, f"【创业服务平台】您正在{label}，验证码 {code}，5分钟内有效。请勿告诉他人。")
    )
    record_event("sms.code_sent", details={"purpose": purpose}, request=request)


def phone_code_check(*, phone: str, purpose: str, code: str) -> None:
    """Consume a valid code or raise naming the field. Each wrong try counts; the code dies after five."""
    index = blind_index(phone, "user.phone")
    with transaction.atomic():
        latest = (
            PhoneCode.objects.select_for_update()
            .filter(phone_index=index, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if latest is None or latest.expires_at <= timezone.now() or latest.attempts >= CODE_MAX_ATTEMPTS:
            raise FieldValueError("code", "验证码", "已失效，请重新获取")
        if not constant_time_compare(latest.code_hash, _code_hash(index, purpose, str(code).strip())):
            PhoneCode.objects.filter(pk=latest.pk).update(attempts=F("attempts") + 1)
            raise FieldValueError("code", "验证码", "不正确")
        latest.used_at = timezone.now()
        latest.save(update_fields=["used_at"])


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise FieldValueError("password", "密码", " ".join(exc.messages)) from None


@transaction.atomic
def citizen_register(
    *, name: str, id_number: str, phone: str, password: str, request: HttpRequest | None = None
) -> User:
    """Create a citizen account bound to their registry record (created here if new). The phone code must
    already have been checked. Real-name check: the ID number is valid and, if the registry knows the person,
    the name matches; a check against the public-security database is a gateway a bureau plugs in later."""
    name = name.strip()
    if not 2 <= len(name) <= 30:
        raise FieldValueError("name", "姓名", "应为2至30个字")
    parsed = parse_resident_id(id_number)
    phone = validate_phone(phone)
    if User.objects.filter(phone_index=blind_index(phone, "user.phone")).exists():
        raise FieldValueError("phone", "手机号", "已注册，请直接登录或找回密码")
    person = Person.objects.filter(id_number_index=blind_index(parsed.number, "person.id_number")).first()
    if person is not None and person.user_id is not None:
        raise FieldValueError("id_number", "身份证号", "已注册，请直接登录或找回密码")
    if person is not None and person.name != name:
        raise FieldValueError("name", "姓名", "与身份证号登记的姓名不一致")
    user = User(username=f"c{secrets.token_hex(6)}", real_name=name, role=Role.CITIZEN)
    user.set_phone(phone)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    if person is None:
        person = Person(
            name=name,
            sex=parsed.sex,
            birth_date=parsed.birth_date,
            hukou_region_code=parsed.region_code,
            region_code=parsed.region_code,  # until the person says where they live now
        )
        person.set_id_number(parsed.number)
        person.set_phone(phone)
    person.user = user
    person.save()
    record_event("account.register", actor=user, object_type="user", object_id=user.pk, request=request)
    return user


@transaction.atomic
def password_reset_by_phone(*, phone: str, password: str, request: HttpRequest | None = None) -> User:
    """Set a new password after a checked reset code, and end every session of the account."""
    user = User.objects.select_for_update().filter(phone_index=blind_index(phone, "user.phone")).first()
    if user is None or not user.is_active:
        raise FieldValueError("phone", "手机号", "未注册或账户已停用")
    _check_password(password, user)
    user.set_password(password)
    user.session_generation += 1
    user.save(update_fields=["password", "password_changed_at", "session_generation"])
    record_event("account.password_reset", actor=user, object_type="user", object_id=user.pk, request=request)
    return user


def password_change(*, user: User, old_password: str, new_password: str, request: HttpRequest | None) -> None:
    if not user.check_password(old_password):
        raise FieldValueError("old_password", "原密码", "不正确")
    if old_password == new_password:
        raise FieldValueError("new_password", "新密码", "不能与原密码相同")
    _check_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password", "password_changed_at"])
    record_event("account.password_change", actor=user, object_type="user", object_id=user.pk, request=request)


def sessions_end_all(*, user: User, request: HttpRequest | None = None, reason: str = "logout") -> None:
    """End every session of the user, on every device (MLPS: logout and deactivation end all sessions)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    record_event(f"account.{reason}", actor=user, object_type="user", object_id=user.pk, request=request)


@transaction.atomic
def user_deactivate(*, actor: Any, user: User, request: HttpRequest | None = None) -> None:
    """Deactivate an account: its sessions end at once and its API tokens stop working."""
    User.objects.filter(pk=user.pk).update(is_active=False, session_generation=F("session_generation") + 1)
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    user.refresh_from_db()
    record_event("account.deactivate", actor=actor, object_type="user", object_id=user.pk, request=request)


def api_token_issue(
    *, actor: Any, user: User, name: str, scopes: list[str], days: int = 365, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """Issue a token for a partner account. Returns the row and the key, which is shown once and never again."""
    if user.role != Role.PARTNER or user.organisation_id is None:
        raise DomainError("接口令牌只能发给合作机构的账户。")
    if not 1 <= days <= 730:
        raise FieldValueError("days", "有效天数", "应在1到730天之间")
    prefix, key = ApiToken.new_secret()
    token = ApiToken.objects.create(
        name=name,
        user=user,
        key_prefix=prefix,
        key_hash=hash_secret(key),
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    record_event(
        "api_token.issue", actor=actor, object_type="api_token", object_id=token.pk, details={"scopes": token.scopes}
    )
    return token, key


def api_token_revoke(*, actor: Any, token: ApiToken, request: HttpRequest | None = None) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record_event("api_token.revoke", actor=actor, object_type="api_token", object_id=token.pk, request=request)
