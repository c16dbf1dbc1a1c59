"""Prepare the load scenario's accounts and cases in the database, through the ORM and the real actions.

Run with the same database URL and personal-data keys as the server, in development mode (``CHUANGYE_ENV`` unset),
after ``migrate``, ``seed_demo`` and ``generate_population``:

    .venv/bin/python load/setup.py --out var/load/accounts.json

Creates citizen accounts linked to synthetic registrants of the demo counties, officer accounts with a confirmed TOTP
authenticator in each county, and registration applications (个体工商户设立登记) submitted by those citizens through
``registration_establish_submit``, so that officers have submitted cases to decide during the run. Writes what the
sign-in step and the locustfile need (usernames, the run's password, TOTP keys, case ids) as JSON.
"""

import argparse
import json
import os
import secrets
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from chuangye.accounts.models import Role, User  # noqa: E402
from chuangye.registration.actions import registration_establish_submit  # noqa: E402
from chuangye.registry.models import Person  # noqa: E402

TRADES = ("商贸部", "小吃店", "便利店", "理发店", "维修部", "文印店", "茶铺", "花店")


def run_password() -> str:
    """A fresh password for this run's accounts (all four character classes, 20 characters)."""
    alphabet = string.ascii_letters + string.digits
    return "Ld#7" + "".join(secrets.choice(alphabet) for _ in range(16))


def make_citizens(count: int, regions: list[str], password: str, prefix: str) -> list[tuple[User, Person]]:
    # Adults of the demo counties from the synthetic population who have no account yet, spread over both counties.
    made: list[tuple[User, Person]] = []
    per_region = -(-count // len(regions))
    for region in regions:
        people = Person.objects.filter(user__isnull=True, region_code=region).order_by("-pk")[:per_region]
        for person in people:
            if len(made) == count:
                break
            index = len(made) + 1
            user = User(username=f"{prefix}_citizen_{index:03d}", role=Role.CITIZEN, real_name=person.name)
            user.set_password(password)
            if person.phone:
                user.set_phone(person.phone)
            user.save()
            person.user = user
            person.save(update_fields=["user"])
            made.append((user, person))
    if len(made) < count:
        raise SystemExit(f"only {len(made)} registrants without an account in {regions}; generate more people")
    return made


def make_officers(count: int, regions: list[str], password: str, prefix: str) -> list[dict[str, str]]:
    officers = []
    for index in range(count):
        region = regions[index % len(regions)]
        user = User(
            username=f"{prefix}_officer_{index + 1:03d}",
            role=Role.OFFICER,
            region_code=region,
            real_name=f"压测经办员{index + 1}",
        )
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save()
        key = secrets.token_hex(20)
        TOTPDevice.objects.create(user=user, name="身份验证器", key=key, confirmed=True)
        officers.append({"username": user.username, "region": region, "totp_key": key})
    return officers


def submit_cases(count: int, citizens: list[tuple[User, Person]], prefix: str) -> dict[int, list[int]]:
    """One 个体工商户 establishment application per case, round-robin over the citizens; case ids per citizen."""
    per_citizen: dict[int, list[int]] = {user.pk: [] for user, _ in citizens}
    for index in range(count):
        user, person = citizens[index % len(citizens)]
        with transaction.atomic():
            case = registration_establish_submit(
                applicant=user,
                data={
                    "kind": "individual",
                    "name": f"{person.name}{TRADES[index % len(TRADES)]}（第{index + 1}号）",
                    "address": f"四川省成都市示例街道{index % 200 + 1}号",
                    "region_code": person.region_code,
                    "business_scope": "日用百货零售；便民服务",
                    "industry": "F",
                },
                founders=[{"name": person.name, "id_number": person.id_number}],
                idempotency_key=f"{prefix}-{index}",
            )
        per_citizen[user.pk].append(case.pk)
    return per_citizen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="JSON file for the sign-in step and the locustfile")
    parser.add_argument("--citizens", type=int, default=30)
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--prefix", default="load", help="usernames start with this")
    parser.add_argument("--cases", type=int, default=1200, help="submitted applications for officers to decide")
    args = parser.parse_args()
    if settings.PRODUCTION:
        raise SystemExit("load/setup.py prepares a throwaway database: run it with CHUANGYE_ENV unset")
    regions = list(settings.DEMO_REGIONS)
    started = time.perf_counter()
    password = run_password()
    citizens = make_citizens(args.citizens, regions, password, args.prefix)
    officers = make_officers(args.officers, regions, password, args.prefix)
    cases = submit_cases(args.cases, citizens, args.prefix)
    by_region: dict[str, list[int]] = {region: [] for region in regions}
    for user, person in citizens:
        by_region[person.region_code].extend(cases[user.pk])
    data = {
        "password": password,
        "citizens": [{"username": user.username, "cases": cases[user.pk]} for user, _ in citizens],
        "officers": officers,
        "decide": by_region,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    out.chmod(0o600)
    print(
        f"load setup: {len(citizens)} citizens, {len(officers)} officers, {args.cases} submitted applications "
        f"in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
