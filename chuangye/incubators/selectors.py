"""Reads: the waiting list, the key-group reserve of a carrier, quality indicators and the searches of the directory
and the shared-resources board."""

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from chuangye.core.regions import significant_prefix
from chuangye.incubators import params, rules
from chuangye.incubators.access import bookable_equipment, public_carriers
from chuangye.incubators.models import (
    BoardPost,
    Booking,
    Carrier,
    CarrierEvent,
    Contract,
    Equipment,
    SatisfactionSurvey,
    Space,
    SpaceApplication,
)


def waiting_list(carrier: Carrier, space_kind: str = "") -> QuerySet[SpaceApplication]:
    """Open applications in rank order: score, then submission time."""
    rows = SpaceApplication.objects.filter(carrier=carrier, case__state__in=("submitted", "waitlisted"))
    if space_kind:
        rows = rows.filter(space_kind=space_kind)
    return rows.select_related("case", "person").order_by("-score", "case__submitted_at", "pk")


def rank_of(application: SpaceApplication) -> int | None:
    for position, row in enumerate(waiting_list(application.carrier, application.space_kind), start=1):
        if row.pk == application.pk:
            return position
    return None


@dataclass(frozen=True)
class Reserve:
    applies: bool
    share: Fraction | None
    source: str
    usable: int
    reserved: int
    key_group_open: int
    other_open: int
    available: int

    @property
    def share_display(self) -> str:
        return params.format_rate(self.share)

    @property
    def other_room(self) -> int:
        """Spaces that may still go to applicants outside the key groups."""
        if not self.applies:
            return self.available
        return max(0, min(self.available, self.usable - self.reserved - self.other_open))


def reserve_of(carrier: Carrier, on: dt.date | None = None) -> Reserve:
    day = on or timezone.localdate()
    share = params.param(params.snapshot(carrier.region_code, day), "incubators.key_group_free_share")
    spaces = carrier.spaces.exclude(status=Space.Status.UNAVAILABLE)
    usable = spaces.count()
    open_contracts = Contract.objects.filter(carrier=carrier, status__in=Contract.OPEN)
    return Reserve(
        applies=carrier.government_funded,
        share=share.value,
        source=share.source,
        usable=usable,
        reserved=rules.reserved_spaces(usable, share.value or Fraction(0)) if carrier.government_funded else 0,
        key_group_open=open_contracts.filter(key_group=True).count(),
        other_open=open_contracts.filter(key_group=False).count(),
        available=spaces.filter(status=Space.Status.AVAILABLE).count(),
    )


def indicators(carrier: Carrier, year: int) -> dict[str, Any]:
    spaces = [(s.area, s.status == Space.Status.OCCUPIED) for s in carrier.spaces.exclude(status="unavailable")]
    tenancies = [
        rules.TenancyFacts(
            moved_in_on=c.moved_in_on,
            moved_out_on=c.moved_out_on,
            end_date=c.end_date,
            outcome=c.status,
            jobs_created=c.jobs_created,
        )
        for c in Contract.objects.filter(carrier=carrier, moved_in_on__isnull=False)
    ]
    return rules.compute_indicators(
        year=year,
        spaces=spaces,
        tenancies=tenancies,
        events=CarrierEvent.objects.filter(carrier=carrier, held_on__year=year).count(),
        staff=carrier.staff_count,
        mentors=carrier.mentor_count,
        ratings=list(
            SatisfactionSurvey.objects.filter(contract__carrier=carrier, year=year).values_list("rating", flat=True)
        ),
    )


LABELS = {
    "utilisation": "场地利用率",
    "entities": "年度在孵主体（户）",
    "success_rate": "孵化成功率",
    "on_time_rate": "按期毕业率",
    "jobs_created": "带动就业（人）",
    "events": "开展创业活动（场）",
    "staff": "专职服务人员（人）",
    "mentors": "创业导师（人）",
    "satisfaction": "满意率",
}


def evaluation_rows(carrier: Carrier, year: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The indicators and, for each demonstration criterion, the value, the threshold in force (at the year's end,
    or today for the current year), whether it is met and where the threshold comes from."""
    today = timezone.localdate()
    day = min(dt.date(year, 12, 31), today)
    values = indicators(carrier, year)
    snap = params.snapshot(carrier.region_code, day)
    rows = []
    for name, key, kind in params.DEMO_CRITERIA:
        threshold = params.param(snap, name)
        value = values[key]
        rows.append(
            {
                "key": key,
                "label": LABELS[key],
                "value": value,
                "display": params.format_rate(value) if kind == "rate" else str(value),
                "threshold": threshold.value,
                "threshold_display": threshold.display,
                "passed": rules.meets(value, threshold.value),
                "source": threshold.source,
            }
        )
    return values, rows


def carrier_search(*, query: str = "", region: str = "", kind: str = "", level: str = "") -> QuerySet[Carrier]:
    carriers = public_carriers().select_related("operator")
    text = query.strip()
    if text:
        carriers = carriers.filter(
            Q(name__icontains=text) | Q(address__icontains=text) | Q(description__icontains=text)
        )
    if region.strip():
        carriers = carriers.filter(region_code__startswith=significant_prefix(region.strip()))
    if kind:
        carriers = carriers.filter(kind=kind)
    if level:
        carriers = carriers.filter(level=level)
    return carriers.annotate(
        free_spaces=Count("spaces", filter=Q(spaces__status=Space.Status.AVAILABLE), distinct=True)
    ).order_by("region_code", "name")


def board_search(*, query: str = "", region: str = "", kind: str = "") -> dict[str, list[Any]]:
    """The shared-resources board across carriers and regions: projects and site posts, free spaces, and bookable
    equipment, each filtered by the words and the region (a province or city code covers its counties)."""
    text, prefix = query.strip(), significant_prefix(region.strip()) if region.strip() else ""
    result: dict[str, list[Any]] = {"projects": [], "sites": [], "spaces": [], "equipment": []}
    posts = BoardPost.objects.filter(is_open=True).select_related("carrier")
    if text:
        posts = posts.filter(Q(title__icontains=text) | Q(body__icontains=text))
    if prefix:
        posts = posts.filter(region_code__startswith=prefix)
    if kind in ("", "project"):
        result["projects"] = list(posts.filter(kind=BoardPost.Kind.PROJECT)[:100])
    if kind in ("", "site"):
        result["sites"] = list(posts.filter(kind=BoardPost.Kind.SITE)[:100])
        spaces = Space.objects.filter(status=Space.Status.AVAILABLE, carrier__is_active=True).select_related("carrier")
        if text:
            spaces = spaces.filter(Q(carrier__name__icontains=text) | Q(code__icontains=text))
        if prefix:
            spaces = spaces.filter(carrier__region_code__startswith=prefix)
        result["spaces"] = list(spaces.order_by("carrier__region_code", "carrier__name", "code")[:200])
    if kind in ("", "equipment"):
        equipment = bookable_equipment().select_related("carrier")
        if text:
            equipment = equipment.filter(
                Q(name__icontains=text) | Q(description__icontains=text) | Q(carrier__name__icontains=text)
            )
        if prefix:
            equipment = equipment.filter(carrier__region_code__startswith=prefix)
        result["equipment"] = list(equipment.order_by("carrier__region_code", "name")[:100])
    return result


def calendar_of(equipment: Equipment, days: int = 14) -> list[Booking]:
    now = timezone.now()
    return list(
        Booking.objects.filter(
            equipment=equipment,
            status=Booking.Status.ACTIVE,
            end__gt=now,
            start__lt=now + dt.timedelta(days=days),
        )
        .select_related("booked_by")
        .order_by("start")
    )
