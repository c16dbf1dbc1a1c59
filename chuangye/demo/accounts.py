"""One named demo account per role. Every demo account shares the password in ``DEMO_PASSWORD`` (README)."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from chuangye.accounts.models import Organisation, Role, User
from chuangye.core.ids import build_credit_code, encode_org_body, generate_resident_id
from chuangye.registry.models import Person

DEMO_PASSWORD = "Chuangye#2026demo"  # noqa: S105 - published in the README; refused in production


@dataclass(frozen=True)
class DemoOrg:
    key: str
    name: str
    kind: str
    region_code: str


@dataclass(frozen=True)
class DemoUser:
    username: str
    real_name: str
    role: str
    region_code: str = ""
    org: str = ""
    phone: str = ""


ORGS = [
    DemoOrg("bank_jj", "示例农村商业银行锦江支行", Organisation.Kind.BANK, "510104"),
    DemoOrg("bank_wh", "示例城市商业银行武侯支行", Organisation.Kind.BANK, "510107"),
    DemoOrg("guarantor", "成都市创业担保基金管理中心（示例）", Organisation.Kind.GUARANTOR, "510100"),
    DemoOrg("training", "锦江区示例职业培训学校", Organisation.Kind.TRAINING, "510104"),
    DemoOrg("incubator", "武侯区示例创业孵化基地", Organisation.Kind.INCUBATOR, "510107"),
    DemoOrg("employer", "示例餐饮管理有限公司", Organisation.Kind.EMPLOYER, "510104"),
    DemoOrg("legal_aid", "锦江区示例法律援助中心", Organisation.Kind.LEGAL_AID, "510104"),
]

USERS = [
    DemoUser("grad_li", "李晓雨", Role.CITIZEN, phone="13800000001"),
    DemoUser("migrant_zhao", "赵建国", Role.CITIZEN, phone="13800000002"),
    DemoUser("officer_jj", "王芳", Role.OFFICER, "510104"),
    DemoUser("officer_wh", "陈刚", Role.OFFICER, "510107"),
    DemoUser("supervisor_jj", "刘敏", Role.SUPERVISOR, "510104"),
    DemoUser("officer_cd", "杨帆", Role.OFFICER, "510100"),
    DemoUser("officer_sc", "周静", Role.OFFICER, "510000"),
    DemoUser("bank_jj", "黄磊", Role.PARTNER, "510104", "bank_jj"),
    DemoUser("bank_wh", "吴婷", Role.PARTNER, "510107", "bank_wh"),
    DemoUser("guarantor", "徐涛", Role.PARTNER, "510100", "guarantor"),
    DemoUser("trainer_org", "孙丽", Role.PARTNER, "510104", "training"),
    DemoUser("incubator", "马超", Role.PARTNER, "510107", "incubator"),
    DemoUser("employer", "朱红", Role.PARTNER, "510104", "employer"),
    DemoUser("legal_aid", "胡斌", Role.PARTNER, "510104", "legal_aid"),
    DemoUser("mentor_guo", "郭明", Role.MENTOR, "510100"),
    DemoUser("sysadmin", "何平", Role.SYSADMIN),
    DemoUser("secadmin", "高洋", Role.SECADMIN),
    DemoUser("auditor", "林慧", Role.AUDITOR),
]


def seed_accounts() -> list[User]:
    """Create the demo organisations and accounts that do not exist yet; existing ones are left untouched."""
    orgs = {}
    for index, spec in enumerate(ORGS, start=1):
        credit_code = build_credit_code("9", "1", spec.region_code, encode_org_body(index, prefix="DM"))
        orgs[spec.key], _ = Organisation.objects.get_or_create(
            credit_code=credit_code,
            defaults={"name": spec.name, "kind": spec.kind, "region_code": spec.region_code},
        )
    created = []
    for person in USERS:
        if User.objects.filter(username=person.username).exists():
            continue
        user = User(
            username=person.username,
            real_name=person.real_name,
            role=person.role,
            region_code=person.region_code,
            organisation=orgs.get(person.org),
        )
        user.set_phone(person.phone)
        user.set_password(DEMO_PASSWORD)
        user.save()
        if user.is_institutional:
            TOTPDevice.objects.create(user=user, name="演示验证器", key=demo_totp_key(user.username), confirmed=True)
        created.append(user)
    _link_citizens()
    return created


def demo_totp_key(username: str) -> str:
    """A fixed TOTP key per demo account, so testers can compute codes (``manage.py demo_totp USERNAME``)."""
    return hashlib.sha1(f"chuangye-demo-totp:{username}".encode()).hexdigest()  # noqa: S324 - a demo key, not a hash


# The two demo citizens' own registry records: a 2024 graduate and a returning migrant worker, both in 锦江区.
CITIZEN_PEOPLE = {
    "grad_li": ("510104", dt.date(2002, 5, 14), "F", "510104"),
    "migrant_zhao": ("511623", dt.date(1983, 9, 2), "M", "510104"),
}


def _link_citizens() -> None:
    for username, (hukou, birth, sex, residence) in CITIZEN_PEOPLE.items():
        user = User.objects.get(username=username)
        if Person.objects.filter(user=user).exists():
            continue
        person = Person(
            name=user.real_name, sex=sex, birth_date=birth, hukou_region_code=hukou, region_code=residence, user=user
        )
        person.set_id_number(generate_resident_id(hukou, birth, sex, 7))  # type: ignore[arg-type]
        person.set_phone(user.phone)
        person.save()
