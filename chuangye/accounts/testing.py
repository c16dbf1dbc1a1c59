"""Helpers for tests across apps: the named cast and signing in with the second factor already passed."""

from typing import Any

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from chuangye.accounts.middleware import SESSION_GENERATION_KEY
from chuangye.accounts.models import Organisation, Role, User
from chuangye.core.ids import build_credit_code, encode_org_body, generate_resident_id
from chuangye.registry.models import Person

PASSWORD = "Chuangye#2026test"  # noqa: S105 - the cast's shared test password
_org_counter = iter(range(1, 10**6))


def make_org(name: str, kind: str, region_code: str) -> Organisation:
    code = build_credit_code("9", "1", region_code, encode_org_body(next(_org_counter), prefix="TT"))
    return Organisation.objects.create(name=name, kind=kind, region_code=region_code, credit_code=code)


def make_user(
    username: str, role: str, *, region_code: str = "", org: Organisation | None = None, **extra: Any
) -> User:
    user = User(username=username, role=role, region_code=region_code, organisation=org, **extra)
    user.set_password(PASSWORD)
    user.save()
    if user.is_institutional:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def make_citizen(username: str, name: str, *, phone: str, region_code: str, birth: str, sex: str) -> User:
    import datetime as dt

    user = make_user(username, Role.CITIZEN, real_name=name)
    user.set_phone(phone)
    user.save()
    born = dt.date.fromisoformat(birth)
    person = Person(name=name, sex=sex, birth_date=born, hukou_region_code=region_code, region_code=region_code)
    person.set_id_number(generate_resident_id(region_code, born, sex, 3))  # type: ignore[arg-type]
    person.set_phone(phone)
    person.user = user
    person.save()
    return user


def sign_in(client: Client, user: User) -> Client:
    """Sign ``user`` in on ``client`` as if they had passed the password and (if institutional) TOTP steps."""
    client.force_login(user, backend="chuangye.accounts.backends.AccountBackend")
    session = client.session
    session[SESSION_GENERATION_KEY] = user.session_generation
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session["otp_device_id"] = device.persistent_id
    session.save()
    return client
