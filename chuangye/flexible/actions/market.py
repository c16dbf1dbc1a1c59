"""Gig market moderation: reports and blocks, service zones and the market settings of a region."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.regions import validate_region_code
from chuangye.flexible import geo
from chuangye.flexible.actions.common import _audit, _choice, _require_staff_in, _text, is_blocked
from chuangye.flexible.models import Block, Gig, MarketSetting, Report, ServiceZone
from chuangye.inbox.actions import notify


@transaction.atomic
def report_create(
    *,
    actor: Any,
    gig: Gig,
    reason: object,
    detail: object,
    target: Any = None,
    request: HttpRequest | None = None,
) -> Report:
    """Report fraud or abuse: against a posting's poster, or (by the poster) against a worker on that posting."""
    if not getattr(actor, "is_authenticated", False):
        raise DomainError("请先登录", code="forbidden", status=403)
    who = target or gig.poster
    if who.pk == actor.pk:
        raise DomainError("不能举报自己", code="invalid")
    report = Report.objects.create(
        reporter=actor,
        gig=gig,
        target=who,
        region_code=gig.region_code,
        reason=_choice(reason, Report.Reason, "reason", "举报类型"),
        detail=_text(detail, "detail", "举报内容", 500),
    )
    _audit("report.create", actor, report, gig.region_code, request, reason=report.reason)
    return report


@transaction.atomic
def report_handle(*, actor: Any, report: Report, block: bool, note: str, request: HttpRequest | None = None) -> Report:
    """An officer decides a report: block the reported account (its open postings are taken down) or dismiss."""
    fresh = Report.objects.select_for_update().get(pk=report.pk)
    _require_staff_in(actor, fresh.region_code)
    if fresh.status != Report.Status.OPEN:
        raise ConflictError("该举报已处理")
    note = note.strip()
    if len(note) < 2:
        raise FieldValueError("note", "处理意见", "须写明处理意见")
    if block:
        if not is_blocked(fresh.target):
            Block.objects.create(user=fresh.target, region_code=fresh.region_code, reason=note[:200], blocked_by=actor)
        Gig.objects.filter(poster=fresh.target, status__in=[Gig.Status.PENDING, Gig.Status.PUBLISHED]).update(
            status=Gig.Status.BLOCKED
        )
        fresh.status = Report.Status.BLOCKED
        notify(fresh.target, "您的零工市场账号已被暂停使用", note)
    else:
        fresh.status = Report.Status.DISMISSED
    fresh.handled_by, fresh.handled_at = actor, timezone.now()
    fresh.save(update_fields=["status", "handled_by", "handled_at"])
    _audit("report.handle", actor, fresh, fresh.region_code, request, outcome=fresh.status)
    return fresh


@transaction.atomic
def block_lift(*, actor: Any, block: Block, request: HttpRequest | None = None) -> Block:
    fresh = Block.objects.select_for_update().get(pk=block.pk)
    _require_staff_in(actor, fresh.region_code)
    if fresh.lifted_at is not None:
        raise ConflictError("该屏蔽已解除")
    fresh.lifted_at = timezone.now()
    fresh.save(update_fields=["lifted_at"])
    _audit("block.lift", actor, fresh, fresh.region_code, request)
    return fresh


@transaction.atomic
def zone_save(
    *, actor: Any, data: Mapping[str, object], zone: ServiceZone | None = None, request: HttpRequest | None = None
) -> ServiceZone:
    """Create a service zone or change it (opening hours, hotline, complaint channel, open or closed)."""
    region = validate_region_code(data.get("region_code") or (zone.region_code if zone else ""), label="所在区县")
    _require_staff_in(actor, region)
    if zone is not None:
        _require_staff_in(actor, zone.region_code)
    latitude, longitude = geo.parse_point(data.get("latitude"), data.get("longitude"))
    values = {
        "name": _text(data.get("name"), "name", "专区名称", 100),
        "region_code": region,
        "office": _text(data.get("office"), "office", "所在公共就业服务机构", 100),
        "address": _text(data.get("address"), "address", "地址", 200),
        "latitude": latitude,
        "longitude": longitude,
        "opening_hours": _text(data.get("opening_hours"), "opening_hours", "开放时间", 200),
        "hotline": _text(data.get("hotline"), "hotline", "服务热线", 30),
        "complaint_channel": _text(data.get("complaint_channel"), "complaint_channel", "投诉渠道", 200),
        "is_active": bool(data.get("is_active")),
        "updated_by": actor,
    }
    if zone is None:
        zone = ServiceZone.objects.create(**values)
    else:
        for key, value in values.items():
            setattr(zone, key, value)
        zone.save()
    _audit("zone.save", actor, zone, region, request, opening_hours=zone.opening_hours)
    return zone


@transaction.atomic
def market_setting_save(
    *, actor: Any, hard_to_place_priority: bool, request: HttpRequest | None = None
) -> MarketSetting:
    """A region chooses whether hard-to-place workers come first when workers are matched to a gig."""
    _require_staff_in(actor, actor.region_code)
    setting, _ = MarketSetting.objects.update_or_create(
        region_code=actor.region_code,
        defaults={"hard_to_place_priority": hard_to_place_priority, "updated_by": actor},
    )
    _audit("setting.save", actor, setting, actor.region_code, request, priority=hard_to_place_priority)
    return setting
