"""Flexible employment over the API: the public gig search (the market is free to all) and a worker's own
engagements."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from chuangye.core.errors import FieldValueError
from chuangye.flexible import geo
from chuangye.flexible.access import engagements_for
from chuangye.flexible.selectors import search_gigs
from chuangye.flexible.taxonomy import JOB_TYPES, label_of

router = Router(tags=["灵活就业"])


class SearchIn(Schema):
    latitude: str
    longitude: str
    radius: str = "5"
    job_type: str = ""
    date: dt.date | None = None


class GigOut(Schema):
    id: int
    title: str
    job_type: str
    job_type_label: str
    poster_name: str
    address: str
    latitude: float
    longitude: float
    work_date: dt.date
    start_time: dt.time
    end_time: dt.time
    pay: Decimal
    pay_unit: str
    settlement: str
    headcount: int
    taken: int
    distance_km: float


@router.get("/gigs/search", response=list[GigOut], auth=None, summary="按地点、距离、工种和日期搜索零工")
def gig_search(request: HttpRequest, filters: Query[SearchIn]) -> list[dict[str, object]]:
    latitude, longitude = geo.parse_point(filters.latitude, filters.longitude)
    radius = geo.parse_radius(filters.radius)
    if filters.job_type and filters.job_type not in JOB_TYPES:
        raise FieldValueError("job_type", "工种", "请从工种分类中选择")
    hits = search_gigs(
        latitude=latitude,
        longitude=longitude,
        radius_km=radius,
        job_types=[filters.job_type] if filters.job_type else None,
        day=filters.date,
    )
    return [
        {
            **{f: getattr(h.gig, f) for f in GigOut.model_fields if f not in ("job_type_label", "distance_km", "id")},
            "id": h.gig.pk,
            "job_type_label": label_of(h.gig.job_type),
            "distance_km": round(h.distance_km, 3),
        }
        for h in hits
    ]


class EngagementOut(Schema):
    id: int
    gig_id: int
    gig_title: str
    status: str
    taken_at: dt.datetime
    completed_at: dt.datetime | None


@router.get("/engagements", response=list[EngagementOut], summary="我接的零工订单")
def my_engagements(request: HttpRequest) -> list[dict[str, object]]:
    user: Any = request.user
    rows = engagements_for(user).filter(worker=user)[:200]
    return [
        {
            "id": e.pk,
            "gig_id": e.gig_id,
            "gig_title": e.gig.title,
            "status": e.status,
            "taken_at": e.taken_at,
            "completed_at": e.completed_at,
        }
        for e in rows
    ]
