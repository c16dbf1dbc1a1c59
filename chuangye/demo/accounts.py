"""One named demo account per role. Every demo account shares the password in ``DEMO_PASSWORD`` (README)."""

from dataclasses import dataclass

from chuangye.accounts.models import Organisation, Role, User
from chuangye.core.ids import build_credit_code, encode_org_body

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
    is_superuser: bool = False


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
    DemoUser("grad_li", "李晓雨", Role.CITIZEN),
    DemoUser("migrant_zhao", "赵建国", Role.CITIZEN),
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
    DemoUser("sysadmin", "何平", Role.SYSADMIN, is_superuser=True),
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
            is_staff=person.is_superuser,
            is_superuser=person.is_superuser,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        created.append(user)
    return created
