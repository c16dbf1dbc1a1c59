"""Objects for the route-access walk (chuangye/accounts/tests/test_route_access.py).

``ROUTE_PARAMS`` maps each path parameter this app's routes use (one per route) to, for every persona of the walk
(anonymous, li, zhao, wang_fang, chen_gang, yang_fan, zhou_jing, huang_lei, wu_ting), the set of object keys that
persona may see. ``route_objects(users=..., citizens=...)`` creates those objects by the app's real actions and returns
``{param: {key: obj}}``; ``users`` maps persona names to users, ``citizens`` maps "li", "zhao" (锦江区 510104) and
"wei" (武侯区 510107) to citizen users with a Person each. Pages anyone may open without signing in go in
``PUBLIC_WEB`` (the exact route patterns), public API paths in ``PUBLIC_API_PREFIXES``.

The gig page is public (published postings are open to all; unpublished ones answer 404 except to their poster and
the region's staff), so only engagements are walked: "jj" is 李晓雨's gig in 锦江区 taken by 赵建国, "wh" is 魏宁's
gig in 武侯区 taken by 李晓雨.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

PUBLIC_WEB: set[str] = {
    "/flexible/",
    "/flexible/gigs/<int:gig_id>/",
    "/flexible/zones/",
    "/flexible/statistics/",
}
PUBLIC_API_PREFIXES: tuple[str, ...] = ("/api/v1/flexible/gigs/search",)
ROUTE_PARAMS: dict[str, dict[str, set[str]]] = {
    "engagement_id": {
        "anonymous": set(),
        "li": {"jj", "wh"},
        "zhao": {"jj"},
        "wang_fang": {"jj"},
        "chen_gang": {"wh"},
        "yang_fan": {"jj", "wh"},
        "zhou_jing": {"jj", "wh"},
        "huang_lei": set(),
        "wu_ting": set(),
    },
}


def _gig_data(region_code: str, latitude: float) -> dict[str, str]:
    day = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    return {
        "job_type": "loading",
        "title": "搬家帮工",
        "content": "帮忙搬运家具，半天",
        "address": "成都市某小区",
        "latitude": str(latitude),
        "longitude": "104.07",
        "region_code": region_code,
        "work_date": day,
        "start_time": "09:00",
        "end_time": "12:00",
        "pay": "150.00",
        "pay_unit": "job",
        "settlement": "on_completion",
        "headcount": "1",
    }


def route_objects(**cast: Any) -> dict[str, dict[str, Any]]:
    from chuangye.flexible.actions import gig_post, gig_review, gig_take

    users, citizens = cast["users"], cast["citizens"]
    jj = gig_post(actor=citizens["li"], data=_gig_data("510104", 30.65))
    gig_review(actor=users["wang_fang"], gig=jj, approve=True)
    wh = gig_post(actor=citizens["wei"], data=_gig_data("510107", 30.64))
    gig_review(actor=users["chen_gang"], gig=wh, approve=True)
    return {
        "engagement_id": {
            "jj": gig_take(actor=citizens["zhao"], gig=jj),
            "wh": gig_take(actor=citizens["li"], gig=wh),
        }
    }
