"""Reading the gig market: search by place, radius, skill and date; matching workers to a gig; statistics.

Search has no PostGIS (decision 0015): the bounding box of the circle is a range on the indexed latitude column
(with the job type and date in front of it in the index), longitude narrows the rows further, and the exact
great-circle distance is computed only for the few rows left.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import F, Q, Sum
from django.utils import timezone

from chuangye.core.regions import significant_prefix
from chuangye.flexible import geo
from chuangye.flexible.access import open_gigs
from chuangye.flexible.models import Engagement, Gig, HardToPlace, MarketSetting, WorkerProfile
from chuangye.flexible.taxonomy import JOB_TYPES, industry_of, label_of
from chuangye.registry.models import Industry

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Hit:
    gig: Gig
    distance_km: float


def search_gigs(
    *,
    latitude: float,
    longitude: float,
    radius_km: float,
    job_types: list[str] | None = None,
    day: dt.date | None = None,
    limit: int = SEARCH_LIMIT,
) -> list[Hit]:
    """Open postings within ``radius_km`` of the point, for any of ``job_types`` on ``day`` (default: today
    onwards), nearest first, then earliest start."""
    box = geo.bounding_box(latitude, longitude, radius_km)
    rows = open_gigs().filter(
        latitude__gte=box.min_lat,
        latitude__lte=box.max_lat,
        longitude__gte=box.min_lng,
        longitude__lte=box.max_lng,
        taken__lt=F("headcount"),
    )
    if job_types:
        rows = rows.filter(job_type__in=job_types)
    rows = rows.filter(work_date=day) if day is not None else rows.filter(work_date__gte=timezone.localdate())
    # Distances from the bare columns first; only the postings that make the page are loaded as objects.
    near = []
    for pk, lat, lng, work_date, start in rows.values_list("pk", "latitude", "longitude", "work_date", "start_time"):
        distance = geo.distance_km(latitude, longitude, lat, lng)
        if distance <= radius_km:
            near.append((distance, work_date, start, pk))
    near.sort()
    chosen = near[:limit]
    gigs = Gig.objects.in_bulk([pk for *_, pk in chosen])
    return [Hit(gigs[pk], distance) for distance, _, _, pk in chosen]


@dataclass(frozen=True)
class Match:
    profile: WorkerProfile
    distance_km: float
    priority: bool


def hard_to_place_priority(region_code: str) -> bool:
    """Whether the region (or the nearest enclosing region that chose) puts hard-to-place workers first."""
    codes = [region_code, region_code[:4] + "00", region_code[:2] + "0000"]
    settings = {s.region_code: s.hard_to_place_priority for s in MarketSetting.objects.filter(region_code__in=codes)}
    return next((settings[c] for c in codes if c in settings), False)


def match_workers(gig: Gig, limit: int = 20) -> list[Match]:
    """Seeking workers with the gig's skill, free on its weekday, whose travel radius reaches it; hard-to-place
    workers first where the region chose so, then nearest."""
    box = geo.bounding_box(gig.latitude, gig.longitude, geo.WORKER_MAX_RADIUS_KM)
    prioritise = hard_to_place_priority(gig.region_code)
    weekday = gig.work_date.isoweekday()
    matches = []
    candidates = WorkerProfile.objects.filter(
        is_seeking=True,
        latitude__gte=box.min_lat,
        latitude__lte=box.max_lat,
        longitude__gte=box.min_lng,
        longitude__lte=box.max_lng,
    ).exclude(user=gig.poster_id)
    if connection.vendor == "postgresql":
        # jsonb containment; SQLite has no such lookup, and the skill is checked below in any case.
        candidates = candidates.filter(skills__contains=[gig.job_type])
    candidates = candidates.select_related("person")
    for profile in candidates:
        if gig.job_type not in profile.skills or weekday not in profile.available_weekdays:
            continue
        distance = geo.distance_km(gig.latitude, gig.longitude, profile.latitude, profile.longitude)
        if distance > profile.radius_km:
            continue
        matches.append(Match(profile, distance, prioritise and bool(profile.hard_to_place)))
    matches.sort(key=lambda m: (not m.priority, m.distance_km, m.profile.pk))
    return matches[:limit]


@dataclass(frozen=True)
class RatioRow:
    key: str
    label: str
    vacancies: int
    seekers: int

    @property
    def ratio(self) -> Decimal | None:
        if not self.seekers:
            return None
        return (Decimal(self.vacancies) / Decimal(self.seekers)).quantize(Decimal("0.01"))


def market_statistics(region_code: str = "") -> dict[str, Any]:
    """Postings, placements and the 求人倍率 (open vacancies ÷ seeking workers) by industry and by district.

    A worker counts as a seeker in every industry one of their skills belongs to, so the by-industry rows do not
    add up to the total, which counts each worker once.
    """
    prefix = significant_prefix(region_code) if region_code else ""
    gigs = Gig.objects.filter(region_code__startswith=prefix)
    open_rows = open_gigs().filter(region_code__startswith=prefix)
    profiles = WorkerProfile.objects.filter(region_code__startswith=prefix, is_seeking=True)
    placements = Engagement.objects.filter(gig__region_code__startswith=prefix, status=Engagement.Status.COMPLETED)
    vacancies_by_industry: Counter[str] = Counter()
    vacancies_by_region: Counter[str] = Counter()
    for industry, region, headcount, taken in open_rows.values_list("industry", "region_code", "headcount", "taken"):
        vacancies_by_industry[industry] += headcount - taken
        vacancies_by_region[region] += headcount - taken
    seekers_by_industry: Counter[str] = Counter()
    seekers_by_region: Counter[str] = Counter()
    for skills, region in profiles.values_list("skills", "region_code"):
        for industry in {industry_of(s) for s in skills if s in JOB_TYPES}:
            seekers_by_industry[industry] += 1
        seekers_by_region[region] += 1
    industries = [
        RatioRow(code, label, vacancies_by_industry[code], seekers_by_industry[code])
        for code, label in Industry.choices
        if vacancies_by_industry[code] or seekers_by_industry[code]
    ]
    from chuangye.core.models import Region

    regions = sorted(set(vacancies_by_region) | set(seekers_by_region))
    names = dict(Region.objects.filter(code__in=regions).values_list("code", "name"))
    by_region = [RatioRow(r, names.get(r, r), vacancies_by_region[r], seekers_by_region[r]) for r in regions]
    total = RatioRow("", "合计", sum(vacancies_by_region.values()), profiles.count())
    hard_placed = sum(
        1 for tiers in placements.values_list("worker__worker_profile__hard_to_place", flat=True) if tiers
    )
    return {
        "postings": gigs.filter(status__in=[Gig.Status.PUBLISHED, Gig.Status.CLOSED]).count(),
        "open_postings": open_rows.count(),
        "placements": placements.count(),
        "hard_to_place_placements": hard_placed,
        "pay_total": placements.aggregate(s=Sum("gig__pay"))["s"] or Decimal("0"),
        "total": total,
        "by_industry": industries,
        "by_region": by_region,
    }


def hard_to_place_workers(scope: Q) -> list[WorkerProfile]:
    """Workers who declared a hard-to-place category, for staff follow-up: longest without a placement first."""
    rows = WorkerProfile.objects.filter(scope).exclude(hard_to_place=[]).select_related("person")
    placed: dict[int, int] = defaultdict(int)
    for worker_id in Engagement.objects.filter(
        status=Engagement.Status.COMPLETED, worker__in=[r.user_id for r in rows]
    ).values_list("worker_id", flat=True):
        placed[worker_id] += 1
    result = list(rows)
    tiers = dict(HardToPlace.choices)
    for row in result:
        row.placements = placed[row.user_id]  # type: ignore[attr-defined]
        row.tier_labels = "、".join(str(tiers.get(t, t)) for t in row.hard_to_place)  # type: ignore[attr-defined]
        row.skill_labels = "、".join(label_of(s) for s in row.skills)  # type: ignore[attr-defined]
    result.sort(key=lambda r: (r.placements, r.updated_at))  # type: ignore[attr-defined]
    return result
