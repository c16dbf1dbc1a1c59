"""Incubators over the API: the public directory and shared-resources board, a user's applications with their
scores, and equipment booking (calendar, book, cancel)."""

import datetime as dt
import re
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from chuangye.accounts.api import require_scope
from chuangye.accounts.models import API_SCOPES
from chuangye.cases import types
from chuangye.core.errors import FieldValueError
from chuangye.incubators import actions, selectors
from chuangye.incubators.access import access_bookable_equipment, access_booking, applications_for
from chuangye.incubators.models import Booking

router = Router(tags=["孵化载体"])
API_SCOPES.setdefault("incubators:read", "读取孵化载体入驻申请与设备预约")
API_SCOPES.setdefault("incubators:write", "预约与取消共享设备")


class CarrierOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    level: str
    level_label: str
    region_code: str
    government_funded: bool
    total_area: str
    free_spaces: int
    operator: str
    services: list[str]


def _carrier(c: Any) -> CarrierOut:
    return CarrierOut(
        id=c.pk,
        name=c.name,
        kind=c.kind,
        kind_label=c.get_kind_display(),
        level=c.level,
        level_label=c.get_level_display(),
        region_code=c.region_code,
        government_funded=c.government_funded,
        total_area=f"{c.total_area:.2f}",
        free_spaces=c.free_spaces,
        operator=c.operator.name,
        services=list(c.services or []),
    )


def _region(region: str) -> str:
    """The region filter: empty, or a 6-digit division code (a province or city code covers its counties)."""
    region = region.strip()
    if region and not re.fullmatch(r"\d{6}", region):
        raise FieldValueError("region", "地区", "应为6位行政区划代码")
    return region


@router.get("/carriers", response=list[CarrierOut], auth=None, summary="孵化载体目录（按关键词、地区、类型、示范等级）")
def list_carriers(request: HttpRequest, q: str = "", region: str = "", kind: str = "", level: str = "") -> Any:
    found = selectors.carrier_search(query=q[:60], region=_region(region), kind=kind, level=level)
    return [_carrier(c) for c in found[:200]]


class PostOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    region_code: str
    carrier_id: int | None
    contact: str
    created_at: dt.datetime


class SpaceOut(Schema):
    id: int
    carrier_id: int
    carrier: str
    region_code: str
    code: str
    kind: str
    area: str
    monthly_rent: str


class EquipmentOut(Schema):
    id: int
    carrier_id: int
    carrier: str
    region_code: str
    name: str
    description: str


class BoardOut(Schema):
    projects: list[PostOut]
    sites: list[PostOut]
    spaces: list[SpaceOut]
    equipment: list[EquipmentOut]


def _post(p: Any) -> PostOut:
    return PostOut(
        id=p.pk,
        kind=p.kind,
        title=p.title,
        body=p.body,
        region_code=p.region_code,
        carrier_id=p.carrier_id,
        contact=p.contact,
        created_at=p.created_at,
    )


@router.get(
    "/board", response=BoardOut, auth=None, summary="资源共享平台：项目合作、场地、可预约设备（跨载体、跨地区）"
)
def board(request: HttpRequest, q: str = "", region: str = "", kind: str = "") -> Any:
    found = selectors.board_search(query=q[:60], region=_region(region), kind=kind)
    return BoardOut(
        projects=[_post(p) for p in found["projects"]],
        sites=[_post(p) for p in found["sites"]],
        spaces=[
            SpaceOut(
                id=s.pk,
                carrier_id=s.carrier_id,
                carrier=s.carrier.name,
                region_code=s.carrier.region_code,
                code=s.code,
                kind=s.kind,
                area=f"{s.area:.2f}",
                monthly_rent=f"{s.monthly_rent:.2f}",
            )
            for s in found["spaces"]
        ],
        equipment=[
            EquipmentOut(
                id=e.pk,
                carrier_id=e.carrier_id,
                carrier=e.carrier.name,
                region_code=e.carrier.region_code,
                name=e.name,
                description=e.description,
            )
            for e in found["equipment"]
        ],
    )


class ScoreLineOut(Schema):
    code: str
    label: str
    points: int
    rule: str


class CarrierApplicationOut(Schema):
    id: int
    case_id: int
    case_number: str
    state: str
    state_label: str
    carrier_id: int
    carrier: str
    space_kind: str
    project_name: str
    score: int
    score_breakdown: list[ScoreLineOut]
    key_group: bool


@router.get(
    "/applications",
    response=list[CarrierApplicationOut],
    summary="入驻申请（本人、本机构载体或管辖范围内），含优先分明细",
)
def list_applications(request: HttpRequest, state: str = "") -> Any:
    require_scope(request, "incubators:read")
    rows = applications_for(request.user).select_related("case", "carrier")
    if state:
        rows = rows.filter(case__state=state)
    case_type = types.get("incubators.space")
    return [
        CarrierApplicationOut(
            id=a.pk,
            case_id=a.case_id,
            case_number=a.case.number,
            state=a.case.state,
            state_label=case_type.states[a.case.state],
            carrier_id=a.carrier_id,
            carrier=a.carrier.name,
            space_kind=a.space_kind,
            project_name=a.project_name,
            score=a.score,
            score_breakdown=[ScoreLineOut(**line) for line in a.score_breakdown],
            key_group=a.is_key_group,
        )
        for a in rows.order_by("-case__submitted_at")[:500]
    ]


class BookingIn(Schema):
    start: dt.datetime
    end: dt.datetime
    purpose: str


class BookingOut(Schema):
    id: int
    equipment_id: int
    start: dt.datetime
    end: dt.datetime
    status: str
    mine: bool


def _booking(b: Booking, user: Any) -> BookingOut:
    return BookingOut(
        id=b.pk, equipment_id=b.equipment_id, start=b.start, end=b.end, status=b.status, mine=b.booked_by_id == user.pk
    )


@router.get("/equipment/{equipment_id}/bookings", response=list[BookingOut], summary="设备未来14天的已预约时段")
def equipment_calendar(request: HttpRequest, equipment_id: int) -> Any:
    require_scope(request, "incubators:read")
    equipment = access_bookable_equipment(equipment_id)
    return [_booking(b, request.user) for b in selectors.calendar_of(equipment)]


@router.post(
    "/equipment/{equipment_id}/bookings",
    response={201: BookingOut},
    summary="预约设备（时段冲突返回409）",
)
def book(request: HttpRequest, equipment_id: int, payload: BookingIn) -> Any:
    require_scope(request, "incubators:write")
    equipment = access_bookable_equipment(equipment_id)
    data = payload.model_dump()
    for key in ("start", "end"):
        if timezone.is_naive(data[key]):
            data[key] = timezone.make_aware(data[key])
    booking = actions.booking_create(actor=request.user, equipment=equipment, data=data, request=request)
    return Status(201, _booking(booking, request.user))


@router.post("/bookings/{booking_id}/cancel", response=BookingOut, summary="取消预约（预约人或载体运营机构）")
def cancel(request: HttpRequest, booking_id: int) -> Any:
    require_scope(request, "incubators:write")
    booking = access_booking(request.user, booking_id)
    return _booking(actions.booking_cancel(actor=request.user, booking=booking, request=request), request.user)
