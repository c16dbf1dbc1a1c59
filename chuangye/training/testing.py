"""Objects for the route-access walk (chuangye/accounts/tests/test_route_access.py), and builders the training
tests share.

``ROUTE_PARAMS`` maps each path parameter this app's routes use (one per route) to, for every persona of the walk
(anonymous, li, zhao, wang_fang, chen_gang, yang_fan, zhou_jing, huang_lei, wu_ting), the set of object keys that
persona may see. ``route_objects(users=..., citizens=...)`` creates those objects by the app's real actions and returns
``{param: {key: obj}}``; ``users`` maps persona names to users, ``citizens`` maps "li", "zhao" (锦江区 510104) and
"wei" (武侯区 510107) to citizen users with a Person each. Pages anyone may open without signing in go in
``PUBLIC_WEB`` (the exact route patterns), public API paths in ``PUBLIC_API_PREFIXES``.

The walk's objects: a 锦江区 (510104) SYB class run by a listed institution, approved, with 李晓雨 enrolled, attending,
certified and claimed for; and a 锦江区 trainer competition. Bureau staff of 锦江区, 成都市 and 四川省 see them; 武侯区
(陈刚) and the banks do not; citizens see approved classes (to enrol) and only their own certificates.
"""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from chuangye.accounts.models import Organisation, Role, User
from chuangye.accounts.testing import make_org, make_user

PUBLIC_WEB: set[str] = {
    "/training/",
    "/training/institutions/",
    "/training/verify/",
    "/training/verify/<str:code>/",
    "/training/notices/",
    "/training/trainers/<int:training_trainer_id>/",
    "/training/competitions/<int:training_competition_id>/results/",
}
PUBLIC_API_PREFIXES: tuple[str, ...] = ()

_NOBODY: dict[str, set[str]] = {
    "anonymous": set(),
    "li": set(),
    "zhao": set(),
    "chen_gang": set(),
    "huang_lei": set(),
    "wu_ting": set(),
}
_BUREAU = {"wang_fang": {"jj"}, "yang_fan": {"jj"}, "zhou_jing": {"jj"}}
ROUTE_PARAMS: dict[str, dict[str, set[str]]] = {
    "training_class_id": _NOBODY | _BUREAU | {"li": {"jj"}, "zhao": {"jj"}},
    "training_session_id": _NOBODY | _BUREAU,
    "training_certificate_id": _NOBODY | _BUREAU | {"li": {"jj"}},
    "training_claim_id": _NOBODY | _BUREAU,
    "training_competition_id": _NOBODY | _BUREAU,
}

TZ = ZoneInfo("Asia/Shanghai")
SESSIONS = "\n".join(f"2026-03-{day} 09:00-12:00 第{n}讲" for n, day in enumerate(range(16, 21), start=1))


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=TZ)


def make_institution(
    username: str = "sunli",
    region_code: str = "510104",
    *,
    officer: User,
    name: str = "锦江区示例职业培训学校",
    courses: tuple[str, ...] = ("GYB", "SYB", "IYB"),
) -> User:
    """A training school listed by ``officer`` for 2026, with its partner account (孙丽 by default)."""
    from chuangye.training.actions import institution_list

    org = make_org(name, Organisation.Kind.TRAINING, region_code)
    institution_list(
        actor=officer,
        data={
            "credit_code": org.credit_code,
            "courses": list(courses),
            "listed_from": "2026-01-01",
            "listed_until": "2026-12-31",
            "document": "成人社办〔2026〕1号",
        },
    )
    return make_user(username, Role.PARTNER, region_code=region_code, org=org, real_name="孙丽")


def make_trainer(partner: User, officer: User, number: str = "JS-2026-0001", name: str = "钱进") -> Any:
    from chuangye.training.actions import trainer_register

    return trainer_register(
        actor=officer,
        institution=partner.organisation.training_listing,  # type: ignore[union-attr]
        data={
            "name": name,
            "level": "senior",
            "certificate_number": number,
            "courses": ["GYB", "SYB", "IYB"],
            "valid_until": "2027-12-31",
        },
    )


def apply_class(partner: User, trainer: Any, **overrides: Any) -> Any:
    from chuangye.training.actions import class_apply

    data = {
        "course": "SYB",
        "title": "2026年第1期SYB创业培训班",
        "start_date": "2026-03-16",
        "end_date": "2026-03-20",
        "venue": "锦江区创业服务中心三楼",
        "capacity": "30",
        "hours": "70",
        **overrides.pop("data", {}),
    }
    return class_apply(
        actor=partner,
        data=data,
        trainer_ids=[trainer.pk],
        sessions_text=overrides.pop("sessions", SESSIONS),
    )


def set_amount(officer: User, course: str, amount: str, region_code: str = "510100", **extra: str) -> None:
    """The region's subsidy standard for ``course`` (and any other training parameter in ``extra``)."""
    from chuangye.policies.actions import parameter_override_create

    values = {f"subsidy.training.amount.{course}": amount, **extra}
    for name, value in values.items():
        parameter_override_create(
            actor=officer,
            name=name,
            region_code=region_code,
            value=value,
            effective_from="2026-01-01",
            document_number="成人社发〔2026〕8号",
        )


def route_objects(**cast: Any) -> dict[str, dict[str, Any]]:
    import time_machine

    from chuangye.cases.actions import case_transition
    from chuangye.training import actions

    users, citizens = cast["users"], cast["citizens"]
    officer = users["wang_fang"]
    with time_machine.travel(at("2026-03-02"), tick=False):
        partner = make_institution("walk_school", officer=officer)
        trainer = make_trainer(partner, officer, number="JS-WALK-1")
        klass = apply_class(partner, trainer)
    with time_machine.travel(at("2026-03-03"), tick=False):
        case_transition(case=klass.case, action="approve", actor=officer)
        klass.refresh_from_db()
        enrolment = actions.enrol(actor=citizens["li"], klass=klass)
    session = klass.sessions.first()
    for day, s in zip(range(16, 21), klass.sessions.all(), strict=True):
        with time_machine.travel(at(f"2026-03-{day}", "11:00"), tick=False):
            actions.attendance_enter(actor=partner, session=s, enrolment_ids=[enrolment.pk])
    with time_machine.travel(at("2026-03-20", "15:00"), tick=False):
        actions.assessment_record(actor=partner, klass=klass, results={enrolment.pk: True})
        certificate = actions.class_complete(actor=partner, klass=klass)[0]
    set_amount(officer, "SYB", "1000.00")
    with time_machine.travel(at("2026-03-23"), tick=False):
        claim = actions.claim_submit(actor=partner, klass=klass)
    competition = actions.competition_create(
        actor=officer,
        data={
            "title": "2026年锦江区创业培训讲师大赛",
            "held_on": "2026-05-20",
            "tracks": "综合能力,微课",
            "rubric": "教学设计 50\n课堂呈现 50",
        },
    )
    return {
        "training_class_id": {"jj": klass},
        "training_session_id": {"jj": session},
        "training_certificate_id": {"jj": certificate},
        "training_claim_id": {"jj": claim},
        "training_competition_id": {"jj": competition},
    }
