"""Objects for the route-access walk (chuangye/accounts/tests/test_route_access.py).

``ROUTE_PARAMS`` maps each path parameter this app's routes use (one per route) to, for every persona of the walk
(anonymous, li, zhao, wang_fang, chen_gang, yang_fan, zhou_jing, huang_lei, wu_ting), the set of object keys that
persona may see. ``route_objects(users=..., citizens=...)`` creates those objects by the app's real actions and returns
``{param: {key: obj}}``; ``users`` maps persona names to users, ``citizens`` maps "li", "zhao" (锦江区 510104) and
"wei" (武侯区 510107) to citizen users with a Person each. Pages anyone may open without signing in go in
``PUBLIC_WEB`` (the exact route patterns), public API paths in ``PUBLIC_API_PREFIXES``.

Here: li (锦江区) and wei (武侯区) each ask a question and are each paired with a mentor of their district; li's
business posts an opening; 王芳 (锦江区) holds a matchmaking fair and drafts an article.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

PUBLIC_WEB: set[str] = {
    "/services/",
    "/services/catalogue/",
    "/services/catalogue.pdf",
    "/services/info/",
    "/services/info/<int:services_article_id>/",
    "/services/faq/",
}
PUBLIC_API_PREFIXES: tuple[str, ...] = ("/api/v1/services/catalogue", "/api/v1/services/search")

_NOBODY: dict[str, set[str]] = {"anonymous": set(), "huang_lei": set(), "wu_ting": set()}
_BY_DISTRICT = _NOBODY | {
    "li": {"li"},
    "zhao": set(),
    "wang_fang": {"li"},
    "chen_gang": {"wei"},
    "yang_fan": {"li", "wei"},
    "zhou_jing": {"li", "wei"},
}
_EVERYONE_SIGNED_IN = {
    p: {"jj"} for p in ("li", "zhao", "wang_fang", "chen_gang", "yang_fan", "zhou_jing", "huang_lei", "wu_ting")
} | {"anonymous": set()}
ROUTE_PARAMS: dict[str, dict[str, set[str]]] = {
    # Questions: the asker, and the staff whose region covers the question's district (banks are not routed any).
    "services_question_id": _BY_DISTRICT,
    # Mentoring: the founder, the mentor and the staff of the founder's region.
    "services_assignment_id": _BY_DISTRICT,
    # Open positions and fairs are there to be found by every signed-in account.
    "services_opening_id": _EVERYONE_SIGNED_IN,
    "services_fair_id": _EVERYONE_SIGNED_IN,
    # A draft of 王芳's (锦江区): her district's, city's and province's staff.
    "services_draft_id": {p: set() for p in _EVERYONE_SIGNED_IN}
    | {"wang_fang": {"jj"}, "yang_fan": {"jj"}, "zhou_jing": {"jj"}},
}


def route_objects(**cast: Any) -> dict[str, dict[str, Any]]:
    from chuangye.accounts.models import Role
    from chuangye.accounts.testing import make_user
    from chuangye.core.ids import build_credit_code, encode_org_body
    from chuangye.registry.models import Business, Founder
    from chuangye.services import actions

    users, citizens = cast["users"], cast["citizens"]
    officers = {"li": users["wang_fang"], "wei": users["chen_gang"]}
    mentor_form = {"capacity": "5", "available": "1"}
    questions, assignments = {}, {}
    for n, key in enumerate(("li", "wei"), start=1):
        citizen, officer = citizens[key], officers[key]
        region = citizen.person.region_code
        questions[key] = actions.question_ask(
            asker=citizen, topic="policy", title="一次性创业补贴怎么申请", body="我去年开了小店，想申请补贴。"
        )
        account = make_user(f"svc_mentor_{key}", Role.MENTOR, real_name=f"导师{n}")
        mentor = actions.mentor_register(
            actor=officer,
            username=account.username,
            data={**mentor_form, "name": f"导师{n}", "region_code": region},
            industries=["H"],
            stages=["idea", "startup"],
        )
        assignments[key] = actions.mentor_assign(actor=citizen, person=citizen.person, mentor_id=mentor.pk)
    li = citizens["li"]
    code = build_credit_code("9", "2", "510104", encode_org_body(1, prefix="FW"))
    business = Business.objects.create(
        credit_code=code,
        name="晓雨咖啡馆",
        kind="individual",
        legal_representative=li.person,
        registered_on=dt.date(2025, 1, 6),
        region_code="510104",
        industry="H",
    )
    Founder.objects.create(business=business, person=li.person, role="operator")
    opening = actions.opening_post(
        actor=li,
        business=business,
        data={"role": "咖啡师", "pay_min": "4000", "pay_max": "6000", "place": "春熙路", "requirements": "会做咖啡"},
    )
    fair = actions.fair_create(
        actor=users["wang_fang"],
        data={
            "title": "锦江区初创企业招聘对接洽谈会",
            "region_code": "510104",
            "place": "锦江区人力资源市场",
            "starts_at": (timezone.now() + dt.timedelta(days=10)).isoformat(),
        },
    )
    draft = actions.article_save(
        actor=users["wang_fang"], data={"kind": "news", "title": "创业服务月活动通知", "body": "欢迎参加。"}
    )
    return {
        "services_question_id": questions,
        "services_assignment_id": assignments,
        "services_opening_id": {"jj": opening},
        "services_fair_id": {"jj": fair},
        "services_draft_id": {"jj": draft},
    }
