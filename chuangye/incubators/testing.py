"""Objects for the route-access walk (chuangye/accounts/tests/test_route_access.py), and helpers for this app's tests.

``ROUTE_PARAMS`` maps each path parameter this app's routes use (one per route) to, for every persona of the walk
(anonymous, li, zhao, wang_fang, chen_gang, yang_fan, zhou_jing, huang_lei, wu_ting), the set of object keys that
persona may see. ``route_objects(users=..., citizens=...)`` creates those objects by the app's real actions and returns
``{param: {key: obj}}``; ``users`` maps persona names to users, ``citizens`` maps "li", "zhao" (锦江区 510104) and
"wei" (武侯区 510107) to citizen users with a Person each. Pages anyone may open without signing in go in
``PUBLIC_WEB`` (the exact route patterns), public API paths in ``PUBLIC_API_PREFIXES``.

The objects: a carrier in 锦江区 ("jj") and one in 武侯区 ("wh"), each run by its own incubator organisation (whose
staff are not personas of the walk); li and zhao hold a desk in the 锦江区 carrier, wei in the 武侯区 one (each an
application, allocated, with a contract); li booked the 锦江区 carrier's printer and wei the 武侯区 one's.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from chuangye.accounts.models import Organisation, Role, User
from chuangye.accounts.testing import make_org, make_user
from chuangye.registry.models import KeyGroupCategory, KeyGroupStatus, Person

PUBLIC_WEB: set[str] = {"/incubators/", "/incubators/carriers/<int:carrier_id>/", "/incubators/board/"}
PUBLIC_API_PREFIXES: tuple[str, ...] = ("/api/v1/incubators/carriers", "/api/v1/incubators/board")

_NOBODY: dict[str, set[str]] = {
    p: set()
    for p in ("anonymous", "li", "zhao", "wang_fang", "chen_gang", "yang_fan", "zhou_jing", "huang_lei", "wu_ting")
}
# Founders see every carrier (the directory is public); staff the carriers of their region; banks none.
_CARRIERS = _NOBODY | {
    "li": {"jj", "wh"},
    "zhao": {"jj", "wh"},
    "wang_fang": {"jj"},
    "chen_gang": {"wh"},
    "yang_fan": {"jj", "wh"},
    "zhou_jing": {"jj", "wh"},
}
# Applications and contracts: the founder's own, and the carrier's region's staff.
_TENANCIES = _NOBODY | {
    "li": {"li"},
    "zhao": {"zhao"},
    "wang_fang": {"li", "zhao"},
    "chen_gang": {"wei"},
    "yang_fan": {"li", "zhao", "wei"},
    "zhou_jing": {"li", "zhao", "wei"},
}
ROUTE_PARAMS: dict[str, dict[str, set[str]]] = {
    "carrier_id": _CARRIERS,
    "space_application_id": _TENANCIES,
    "contract_id": _TENANCIES,
    # Bookable equipment is shared across carriers: every signed-in account may open its calendar.
    "equipment_id": _NOBODY | {p: {"jj", "wh"} for p in _NOBODY if p != "anonymous"},
    # A booking: the booker, and the equipment's carrier's region staff.
    "booking_id": _NOBODY
    | {
        "li": {"li"},
        "wang_fang": {"li"},
        "chen_gang": {"wei"},
        "yang_fan": {"li", "wei"},
        "zhou_jing": {"li", "wei"},
    },
}


def make_operator(username: str, region_code: str, *, name: str = "马超", org_name: str = "") -> User:
    org = make_org(org_name or f"{region_code}示例创业孵化基地运营公司", Organisation.Kind.INCUBATOR, region_code)
    return make_user(username, Role.PARTNER, region_code=region_code, org=org, real_name=name)


def make_carrier(
    operator: User,
    *,
    region_code: str = "",
    government_funded: bool = True,
    desks: int = 10,
    rent: str = "300.00",
    name: str = "",
) -> Any:
    """A carrier run by ``operator``'s organisation with ``desks`` desks (D01…), made by the real actions."""
    from chuangye.incubators.actions import carrier_create, space_add

    region = region_code or operator.region_code
    carrier = carrier_create(
        actor=operator,
        data={
            "name": name or f"{region}示例创业孵化基地",
            "kind": "base",
            "level": "city",
            "region_code": region,
            "government_funded": government_funded,
            "total_area": "2000.00",
            "services": "创业指导,融资对接",
            "staff_count": "6",
            "mentor_count": "12",
        },
    )
    for n in range(1, desks + 1):
        space_add(
            actor=operator,
            carrier=carrier,
            data={"code": f"D{n:02d}", "kind": "desk", "area": "6.00", "monthly_rent": rent},
        )
    return carrier


def certify(person: Person, code: str = "graduate", since: dt.date | None = None) -> KeyGroupStatus:
    return KeyGroupStatus.objects.create(
        person=person,
        category=KeyGroupCategory.objects.get(code=code),
        state=KeyGroupStatus.State.CERTIFIED,
        valid_from=since or dt.date(2024, 7, 1),
        region_code=person.region_code,
    )


def make_founder(n: int, region_code: str = "510107") -> User:
    """Founder number ``n`` (a distinct person each: the birth date varies with ``n``)."""
    from chuangye.accounts.testing import make_citizen

    born = dt.date(1985, 1, 1) + dt.timedelta(days=n)
    return make_citizen(
        f"founder{n}", f"创业者{n}", phone=f"139{n:08d}", region_code=region_code, birth=born.isoformat(), sex="M"
    )


def apply_for_desk(citizen: User, carrier: Any, **overrides: Any) -> Any:
    from chuangye.incubators.actions import application_submit

    data = {
        "space_kind": "desk",
        "project_name": "社区文创工作室",
        "project_summary": "为社区居民提供文创设计与手作课程服务",
        "planned_jobs": "2",
        "months_requested": "24",
        **overrides,
    }
    return application_submit(applicant=citizen, carrier=carrier, data=data)


def route_objects(**cast: Any) -> dict[str, dict[str, Any]]:
    from chuangye.incubators.actions import application_allocate, booking_create, equipment_add

    citizens = cast["citizens"]
    operators = {"jj": make_operator("rt_incubator_jj", "510104"), "wh": make_operator("rt_incubator_wh", "510107")}
    carriers = {key: make_carrier(op, government_funded=False, desks=3) for key, op in operators.items()}
    home = {"li": "jj", "zhao": "jj", "wei": "wh"}
    applications, contracts = {}, {}
    for key, citizen in citizens.items():
        case = apply_for_desk(citizen, carriers[home[key]])
        application = case.incubator_application
        space = carriers[home[key]].spaces.filter(status="available").first()
        contracts[key] = application_allocate(
            actor=operators[home[key]], application=application, space_id=space.pk, reason="测试分配"
        )
        applications[key] = application
    equipment = {
        key: equipment_add(actor=op, carrier=carriers[key], data={"name": "3D打印机", "description": "共享设备"})
        for key, op in operators.items()
    }
    start = timezone.now() + dt.timedelta(days=1)
    bookings = {
        key: booking_create(
            actor=citizens[key],
            equipment=equipment[home[key]],
            data={"start": start, "end": start + dt.timedelta(hours=2), "purpose": "打印样品"},
        )
        for key in ("li", "wei")
    }
    return {
        "carrier_id": carriers,
        "space_application_id": applications,
        "contract_id": contracts,
        "equipment_id": equipment,
        "booking_id": bookings,
    }
