"""Carriers and what they offer: spaces, equipment, events, equipment bookings and the partner board."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Organisation, Role
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.money import parse_money
from chuangye.core.regions import in_scope, validate_region_code
from chuangye.inbox.actions import notify
from chuangye.incubators import inputs
from chuangye.incubators.access import managed_carriers, operator_org_id
from chuangye.incubators.actions.common import BOOKING_HORIZON_DAYS, MAX_BOOKING_HOURS, _audit, _require_manager
from chuangye.incubators.models import BoardPost, Booking, Carrier, CarrierEvent, Equipment, Space


@transaction.atomic
def carrier_create(*, actor: Any, data: Any, request: HttpRequest | None = None) -> Carrier:
    """An operator registers its own carrier; an officer registers one run by an incubator organisation of the
    region."""
    org_id = operator_org_id(actor)
    if org_id is not None:
        operator = Organisation.objects.get(pk=org_id)
        region = operator.region_code
        region = validate_region_code(data.get("region_code") or region, field="region_code", label="所在地")
    elif actor.role in (Role.OFFICER, Role.SUPERVISOR):
        found = Organisation.objects.filter(
            pk=inputs.integer(data, "operator", "运营机构", minimum=1), kind=Organisation.Kind.INCUBATOR, is_active=True
        ).first()
        if found is None:
            raise FieldValueError("operator", "运营机构", "应为已登记的孵化载体运营机构")
        operator = found
        region = validate_region_code(data.get("region_code") or "", field="region_code", label="所在地")
        if not in_scope(actor.region_code, region):
            raise FieldValueError("region_code", "所在地", "不在您的管辖范围内")
    else:
        raise DomainError("只有孵化载体运营机构或人社部门可以登记载体", code="forbidden", status=403)
    services = [s.strip() for s in str(data.get("services") or "").replace("，", ",").split(",") if s.strip()]
    carrier = Carrier.objects.create(
        name=inputs.text(data, "name", "名称", min_len=2, max_len=100),
        kind=inputs.choice(data, "kind", "类型", Carrier.Kind.choices),
        level=inputs.choice(data, "level", "示范等级", Carrier.Level.choices),
        operator=operator,
        region_code=region,
        address=inputs.text(data, "address", "地址", max_len=200, required=False),
        government_funded=inputs.flag(data, "government_funded"),
        total_area=inputs.area(data, "total_area", "总面积"),
        services=services[:20],
        description=inputs.text(data, "description", "简介", max_len=2000, required=False),
        staff_count=inputs.integer(data, "staff_count", "专职服务人员", maximum=10000, default=0),
        mentor_count=inputs.integer(data, "mentor_count", "创业导师", maximum=10000, default=0),
    )
    _audit("carrier_create", actor, carrier, region, request, name=carrier.name)
    return carrier


@transaction.atomic
def carrier_update(*, actor: Any, carrier: Carrier, data: Any, request: HttpRequest | None = None) -> Carrier:
    """The operator or bureau keeps the carrier's services, staff and mentors current; only the bureau changes the
    demonstration level and whether the carrier is government-funded (they decide the key-group reserve)."""
    _require_manager(actor, carrier)
    fresh = Carrier.objects.select_for_update().get(pk=carrier.pk)
    before = {"level": fresh.level, "government_funded": fresh.government_funded}
    fresh.services = [s.strip() for s in str(data.get("services") or "").replace("，", ",").split(",") if s.strip()][
        :20
    ]
    fresh.address = inputs.text(data, "address", "地址", max_len=200, required=False)
    fresh.description = inputs.text(data, "description", "简介", max_len=2000, required=False)
    fresh.staff_count = inputs.integer(data, "staff_count", "专职服务人员", maximum=10000, default=0)
    fresh.mentor_count = inputs.integer(data, "mentor_count", "创业导师", maximum=10000, default=0)
    fresh.total_area = inputs.area(data, "total_area", "总面积")
    if actor.role in (Role.OFFICER, Role.SUPERVISOR):
        fresh.level = inputs.choice(data, "level", "示范等级", Carrier.Level.choices)
        fresh.government_funded = inputs.flag(data, "government_funded")
    fresh.save()
    after = {"level": fresh.level, "government_funded": fresh.government_funded}
    _audit("carrier_update", actor, fresh, fresh.region_code, request, before=before, after=after)
    return fresh


@transaction.atomic
def space_add(*, actor: Any, carrier: Carrier, data: Any, request: HttpRequest | None = None) -> Space:
    _require_manager(actor, carrier)
    code = inputs.text(data, "code", "场地编号", max_len=30)
    if Space.objects.filter(carrier=carrier, code=code).exists():
        raise FieldValueError("code", "场地编号", "在本载体中已存在")
    space = Space.objects.create(
        carrier=carrier,
        code=code,
        kind=inputs.choice(data, "kind", "场地类型", Space.Kind.choices),
        area=inputs.area(data, "area", "面积"),
        monthly_rent=parse_money(data.get("monthly_rent") or "0", field="monthly_rent", label="月租金"),
    )
    _audit("space_add", actor, space, carrier.region_code, request, code=code)
    return space


@transaction.atomic
def space_set_available(*, actor: Any, space: Space, available: bool, request: HttpRequest | None = None) -> Space:
    """Take a space out of service or back in. An occupied space cannot be taken out."""
    _require_manager(actor, space.carrier)
    fresh = Space.objects.select_for_update().get(pk=space.pk)
    if fresh.status == Space.Status.OCCUPIED:
        raise ConflictError("场地已分配，须在入驻主体出孵后再停用")
    fresh.status = Space.Status.AVAILABLE if available else Space.Status.UNAVAILABLE
    fresh.save(update_fields=["status"])
    _audit("space_status", actor, fresh, fresh.carrier.region_code, request, status=fresh.status)
    return fresh


@transaction.atomic
def equipment_add(*, actor: Any, carrier: Carrier, data: Any, request: HttpRequest | None = None) -> Equipment:
    _require_manager(actor, carrier)
    item = Equipment.objects.create(
        carrier=carrier,
        name=inputs.text(data, "name", "设备名称", min_len=2, max_len=100),
        description=inputs.text(data, "description", "说明", max_len=300, required=False),
        bookable=True,
    )
    _audit("equipment_add", actor, item, carrier.region_code, request, name=item.name)
    return item


@transaction.atomic
def carrier_event_add(*, actor: Any, carrier: Carrier, data: Any, request: HttpRequest | None = None) -> CarrierEvent:
    _require_manager(actor, carrier)
    held_on = inputs.date(data, "held_on", "举办日期")
    if held_on > timezone.localdate():
        raise FieldValueError("held_on", "举办日期", "只能登记已举办的活动")
    event = CarrierEvent.objects.create(
        carrier=carrier,
        title=inputs.text(data, "title", "活动名称", min_len=2, max_len=100),
        held_on=held_on,
        participants=inputs.integer(data, "participants", "参加人数", maximum=100000, default=0),
    )
    _audit("event_add", actor, event, carrier.region_code, request, title=event.title)
    return event


# Bookings ----------------------------------------------------------------------------------------------------


@transaction.atomic
def booking_create(*, actor: Any, equipment: Equipment, data: Any, request: HttpRequest | None = None) -> Booking:
    """Book a slot. The equipment's row is locked first, so the overlap check and the insert are one step for
    everyone booking the same equipment: a double booking cannot slip in between."""
    start = inputs.moment(data, "start", "开始时间")
    end = inputs.moment(data, "end", "结束时间")
    purpose = inputs.text(data, "purpose", "用途", min_len=2, max_len=200)
    now = timezone.now()
    if end <= start:
        raise FieldValueError("end", "结束时间", "必须晚于开始时间")
    if start < now:
        raise FieldValueError("start", "开始时间", "不能早于当前时间")
    if end - start > dt.timedelta(hours=MAX_BOOKING_HOURS):
        raise FieldValueError("end", "结束时间", f"单次预约不能超过{MAX_BOOKING_HOURS}小时")
    if start > now + dt.timedelta(days=BOOKING_HORIZON_DAYS):
        raise FieldValueError("start", "开始时间", f"只能预约{BOOKING_HORIZON_DAYS}天内的时段")
    locked = Equipment.objects.select_for_update().get(pk=equipment.pk)
    if not (locked.is_active and locked.bookable):
        raise ConflictError("该设备暂不开放预约")
    clash = (
        Booking.objects.filter(equipment=locked, status=Booking.Status.ACTIVE, start__lt=end, end__gt=start)
        .order_by("start")
        .first()
    )
    if clash is not None:
        local = timezone.localtime
        raise ConflictError(
            f"该时段已被预约（{local(clash.start):%m-%d %H:%M}–{local(clash.end):%H:%M}），请选择其他时段"
        )
    booking = Booking.objects.create(equipment=locked, booked_by=actor, start=start, end=end, purpose=purpose)
    _audit("book", actor, booking, locked.carrier.region_code, request, equipment=locked.pk)
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking: Booking, request: HttpRequest | None = None) -> Booking:
    fresh = Booking.objects.select_for_update().select_related("equipment__carrier").get(pk=booking.pk)
    if fresh.booked_by_id != getattr(actor, "pk", None):
        _require_manager(actor, fresh.equipment.carrier)
    if fresh.status != Booking.Status.ACTIVE:
        raise ConflictError("该预约已取消")
    if fresh.end <= timezone.now():
        raise ConflictError("已结束的预约不能取消")
    fresh.status, fresh.cancelled_at = Booking.Status.CANCELLED, timezone.now()
    fresh.save(update_fields=["status", "cancelled_at"])
    _audit("cancel_booking", actor, fresh, fresh.equipment.carrier.region_code, request)
    if fresh.booked_by_id != actor.pk:
        notify(fresh.booked_by, f"您的设备预约已被取消：{fresh.equipment.name}", link="/incubators/me/")
    return fresh


# Board -------------------------------------------------------------------------------------------------------


@transaction.atomic
def board_post_create(*, actor: Any, data: Any, request: HttpRequest | None = None) -> BoardPost:
    """Founders post projects seeking partners; operators and bureaus post sites (tied to a carrier they run)."""
    kind = inputs.choice(data, "kind", "类别", BoardPost.Kind.choices)
    carrier = None
    if data.get("carrier"):
        carrier = managed_carriers(actor).filter(pk=inputs.integer(data, "carrier", "载体", minimum=1)).first()
        if carrier is None:
            raise FieldValueError("carrier", "载体", "只能选择您管理的载体")
    if kind == BoardPost.Kind.SITE and carrier is None:
        raise FieldValueError("carrier", "载体", "发布场地信息须选择所属载体")
    region = (
        carrier.region_code
        if carrier
        else validate_region_code(data.get("region_code") or "", field="region_code", label="地区")
    )
    post = BoardPost.objects.create(
        kind=kind,
        title=inputs.text(data, "title", "标题", min_len=4, max_len=100),
        body=inputs.text(data, "body", "内容", min_len=10, max_len=2000),
        region_code=region,
        carrier=carrier,
        contact=inputs.text(data, "contact", "联系方式", min_len=2, max_len=100),
        posted_by=actor,
    )
    _audit("post", actor, post, region, request, kind=kind)
    return post


@transaction.atomic
def board_post_close(*, actor: Any, post: BoardPost, request: HttpRequest | None = None) -> BoardPost:
    from chuangye.incubators.access import posts_managed_by

    if not posts_managed_by(actor).filter(pk=post.pk).exists():
        raise DomainError("只有发布人或所在地人社部门可以关闭", code="forbidden", status=403)
    BoardPost.objects.filter(pk=post.pk).update(is_open=False)
    post.refresh_from_db()
    _audit("post_close", actor, post, post.region_code, request)
    return post
