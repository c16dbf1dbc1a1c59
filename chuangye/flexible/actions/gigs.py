"""Gig market actions: posting, reviewing, closing and taking gigs, worker profiles and engagements."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Role
from chuangye.cases.deadlines import end_of_local_day
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.money import parse_money
from chuangye.core.pii import mask_name
from chuangye.core.regions import validate_region_code
from chuangye.flexible import geo
from chuangye.flexible.access import is_employer
from chuangye.flexible.actions.common import (
    MAX_HEADCOUNT,
    _audit,
    _choice,
    _date,
    _int,
    _not_blocked,
    _person,
    _require_staff_in,
    _text,
    _time,
)
from chuangye.flexible.models import Engagement, Gig, HardToPlace, Rating, WorkerProfile
from chuangye.flexible.taxonomy import JOB_TYPES, industry_of
from chuangye.inbox.actions import notify


@transaction.atomic
def gig_post(*, actor: Any, data: Mapping[str, object], request: HttpRequest | None = None) -> Gig:
    """Post a gig. Employers (partner accounts of an employer organisation) publish at once; individual employers
    (real-name citizens) wait for an officer's review."""
    _not_blocked(actor)
    now = timezone.now()
    today = timezone.localdate()
    if is_employer(actor):
        kind, org = Gig.Poster.EMPLOYER, actor.organisation
        poster_name = org.name
        default_region = org.region_code
    elif getattr(actor, "role", None) == Role.CITIZEN:
        person = _person(actor)
        kind, org = Gig.Poster.INDIVIDUAL, None
        poster_name = f"个人雇主 {mask_name(person.name)}"
        default_region = person.region_code
    else:
        raise DomainError("只有实名的用人单位和个人可以发布零工岗位", code="forbidden", status=403)
    job_type = str(data.get("job_type") or "")
    if job_type not in JOB_TYPES:
        raise FieldValueError("job_type", "工种", "请从工种分类中选择")
    title = _text(data.get("title"), "title", "标题", 60)
    content = _text(data.get("content"), "content", "工作内容", 2000)
    address = _text(data.get("address"), "address", "工作地点", 200)
    latitude, longitude = geo.parse_point(data.get("latitude"), data.get("longitude"))
    region = validate_region_code(data.get("region_code") or default_region, label="工作地点所在区县")
    work_date = _date(data.get("work_date"), "work_date", "工作日期")
    if work_date < today:
        raise FieldValueError("work_date", "工作日期", "不能早于今天")
    start, end = (
        _time(data.get("start_time"), "start_time", "开始时间"),
        _time(data.get("end_time"), "end_time", "结束时间"),
    )
    if end <= start:
        raise FieldValueError("end_time", "结束时间", "应晚于开始时间")
    pay = parse_money(data.get("pay"), field="pay", label="报酬", allow_zero=False, maximum=Decimal("100000"))
    pay_unit = _choice(data.get("pay_unit"), Gig.PayUnit, "pay_unit", "计酬方式")
    settlement = _choice(data.get("settlement"), Gig.Settlement, "settlement", "结算方式")
    headcount = _int(data.get("headcount"), "headcount", "招用人数", 1, MAX_HEADCOUNT)
    valid_raw = data.get("valid_until")
    valid_day = _date(valid_raw, "valid_until", "有效期至") if valid_raw else work_date
    if valid_day < today:
        raise FieldValueError("valid_until", "有效期至", "不能早于今天")
    if valid_day > work_date:
        raise FieldValueError("valid_until", "有效期至", "不能晚于工作日期")
    gig = Gig.objects.create(
        poster=actor,
        poster_kind=kind,
        organisation=org,
        poster_name=poster_name,
        region_code=region,
        job_type=job_type,
        industry=industry_of(job_type),
        title=title,
        content=content,
        address=address,
        latitude=latitude,
        longitude=longitude,
        work_date=work_date,
        start_time=start,
        end_time=end,
        pay=pay,
        pay_unit=pay_unit,
        settlement=settlement,
        headcount=headcount,
        valid_until=end_of_local_day(valid_day),
        status=Gig.Status.PUBLISHED if kind == Gig.Poster.EMPLOYER else Gig.Status.PENDING,
        created_at=now,
    )
    _audit("gig.post", actor, gig, region, request, status=gig.status)
    return gig


@transaction.atomic
def gig_review(*, actor: Any, gig: Gig, approve: bool, note: str = "", request: HttpRequest | None = None) -> Gig:
    """An officer of the gig's region publishes or rejects an individual employer's posting."""
    fresh = Gig.objects.select_for_update().get(pk=gig.pk)
    _require_staff_in(actor, fresh.region_code)
    if fresh.status != Gig.Status.PENDING:
        raise ConflictError(f"该岗位当前为「{fresh.get_status_display()}」，无需审核")
    note = note.strip()
    if not approve and len(note) < 2:
        raise FieldValueError("note", "审核意见", "不予发布须写明理由")
    fresh.status = Gig.Status.PUBLISHED if approve else Gig.Status.REJECTED
    fresh.reviewed_by, fresh.reviewed_at, fresh.review_note = actor, timezone.now(), note[:200]
    fresh.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    _audit("gig.review", actor, fresh, fresh.region_code, request, status=fresh.status)
    outcome = "已审核发布" if approve else f"未通过审核：{note}"
    notify(fresh.poster, f"零工岗位「{fresh.title}」{outcome}", link=f"/flexible/gigs/{fresh.pk}/")
    return fresh


@transaction.atomic
def gig_close(*, actor: Any, gig: Gig, request: HttpRequest | None = None) -> Gig:
    fresh = Gig.objects.select_for_update().get(pk=gig.pk)
    if fresh.poster_id != actor.pk:
        raise DomainError("只有发布方可以关闭岗位", code="forbidden", status=403)
    if fresh.status not in (Gig.Status.PENDING, Gig.Status.PUBLISHED):
        raise ConflictError("该岗位已不在招用中")
    fresh.status = Gig.Status.CLOSED
    fresh.save(update_fields=["status"])
    _audit("gig.close", actor, fresh, fresh.region_code, request)
    return fresh


@transaction.atomic
def profile_save(*, actor: Any, data: Mapping[str, Any], request: HttpRequest | None = None) -> WorkerProfile:
    """A worker's own profile: skills, available weekdays, where they are and how far they travel, and any
    hard-to-place category they declare (staff follow up and may give them priority)."""
    person = _person(actor)
    skills = [s for s in data.get("skills", []) if s]
    if not skills:
        raise FieldValueError("skills", "技能（工种）", "至少选择一项")
    unknown = [s for s in skills if s not in JOB_TYPES]
    if unknown:
        raise FieldValueError("skills", "技能（工种）", "含有不在工种分类中的项目")
    weekdays = sorted({_int(d, "weekdays", "可工作日", 1, 7) for d in data.get("weekdays", [])})
    if not weekdays:
        raise FieldValueError("weekdays", "可工作日", "至少选择一天")
    tiers = [t for t in data.get("hard_to_place", []) if t]
    if any(t not in HardToPlace.values for t in tiers):
        raise FieldValueError("hard_to_place", "困难类别", "请从列表中选择")
    latitude, longitude = geo.parse_point(data.get("latitude"), data.get("longitude"))
    values = {
        "person": person,
        "region_code": person.region_code,
        "skills": sorted(set(skills)),
        "available_weekdays": weekdays,
        "address": _text(data.get("address"), "address", "常驻地点", 200),
        "latitude": latitude,
        "longitude": longitude,
        "radius_km": _int(data.get("radius_km") or 10, "radius_km", "可接受距离", 1, geo.WORKER_MAX_RADIUS_KM),
        "hard_to_place": sorted(set(tiers)),
        "is_seeking": bool(data.get("is_seeking", True)),
    }
    profile, _ = WorkerProfile.objects.update_or_create(user=actor, defaults=values)
    _audit("profile.save", actor, profile, person.region_code, request)
    return profile


@transaction.atomic
def gig_take(*, actor: Any, gig: Gig, request: HttpRequest | None = None) -> Engagement:
    """即时快招: a real-name worker takes a place on a published gig; the employer is told to confirm."""
    _person(actor)
    _not_blocked(actor)
    fresh = Gig.objects.select_for_update().get(pk=gig.pk)
    if fresh.poster_id == actor.pk:
        raise DomainError("不能接自己发布的岗位", code="own_gig")
    if fresh.status != Gig.Status.PUBLISHED or fresh.valid_until <= timezone.now():
        raise ConflictError("该岗位已不在招用中")
    if Engagement.objects.filter(gig=fresh, worker=actor).exclude(status=Engagement.Status.CANCELLED).exists():
        raise ConflictError("您已接过该岗位")
    if fresh.taken >= fresh.headcount:
        raise ConflictError("该岗位已招满")
    engagement = Engagement.objects.create(gig=fresh, worker=actor)
    Gig.objects.filter(pk=fresh.pk).update(taken=F("taken") + 1)
    _audit("engagement.take", actor, engagement, fresh.region_code, request, gig=fresh.pk)
    notify(
        fresh.poster,
        f"有人接单：{fresh.title}",
        f"{mask_name(actor.person.name)} 接了您发布的岗位，请尽快确认。",
        link=f"/flexible/engagements/{engagement.pk}/",
        sms=True,
    )
    return engagement


def _engagement_locked(engagement: Engagement) -> Engagement:
    return Engagement.objects.select_for_update().select_related("gig").get(pk=engagement.pk)


def _side(engagement: Engagement, actor: Any) -> str:
    if actor.pk == engagement.worker_id:
        return "worker"
    if actor.pk == engagement.gig.poster_id:
        return "employer"
    raise DomainError("您不是该订单的当事人", code="forbidden", status=403)


@transaction.atomic
def engagement_confirm(*, actor: Any, engagement: Engagement, request: HttpRequest | None = None) -> Engagement:
    fresh = _engagement_locked(engagement)
    if _side(fresh, actor) != "employer":
        raise DomainError("只有雇主可以确认用工", code="forbidden", status=403)
    if fresh.status != Engagement.Status.TAKEN:
        raise ConflictError(f"该订单当前为「{fresh.get_status_display()}」，不能确认")
    fresh.status, fresh.confirmed_at = Engagement.Status.CONFIRMED, timezone.now()
    fresh.save(update_fields=["status", "confirmed_at"])
    _audit("engagement.confirm", actor, fresh, fresh.gig.region_code, request)
    notify(fresh.worker, f"雇主已确认用工：{fresh.gig.title}", link=f"/flexible/engagements/{fresh.pk}/", sms=True)
    return fresh


@transaction.atomic
def engagement_cancel(*, actor: Any, engagement: Engagement, request: HttpRequest | None = None) -> Engagement:
    fresh = _engagement_locked(engagement)
    side = _side(fresh, actor)
    if fresh.status not in (Engagement.Status.TAKEN, Engagement.Status.CONFIRMED):
        raise ConflictError("该订单已完工或已取消")
    fresh.status, fresh.cancelled_at = Engagement.Status.CANCELLED, timezone.now()
    fresh.save(update_fields=["status", "cancelled_at"])
    Gig.objects.filter(pk=fresh.gig_id).update(taken=F("taken") - 1)
    _audit("engagement.cancel", actor, fresh, fresh.gig.region_code, request, side=side)
    other = fresh.gig.poster if side == "worker" else fresh.worker
    notify(other, f"订单已取消：{fresh.gig.title}", link=f"/flexible/engagements/{fresh.pk}/")
    return fresh


@transaction.atomic
def engagement_complete(*, actor: Any, engagement: Engagement, request: HttpRequest | None = None) -> Engagement:
    """Each side confirms the work is done; when both have, the engagement is completed (a placement)."""
    fresh = _engagement_locked(engagement)
    side = _side(fresh, actor)
    if fresh.status != Engagement.Status.CONFIRMED:
        raise ConflictError("雇主确认用工后才能确认完工")
    now = timezone.now()
    if side == "worker":
        if fresh.worker_done_at:
            raise ConflictError("您已确认完工")
        fresh.worker_done_at = now
    else:
        if fresh.employer_done_at:
            raise ConflictError("您已确认完工")
        fresh.employer_done_at = now
    if fresh.worker_done_at and fresh.employer_done_at:
        fresh.status, fresh.completed_at = Engagement.Status.COMPLETED, now
    fresh.save()
    _audit("engagement.complete", actor, fresh, fresh.gig.region_code, request, side=side, status=fresh.status)
    other = fresh.gig.poster if side == "worker" else fresh.worker
    notify(other, f"对方已确认完工：{fresh.gig.title}", link=f"/flexible/engagements/{fresh.pk}/")
    return fresh


@transaction.atomic
def engagement_rate(
    *, actor: Any, engagement: Engagement, score: object, comment: str = "", request: HttpRequest | None = None
) -> Rating:
    fresh = _engagement_locked(engagement)
    side = _side(fresh, actor)
    if fresh.status != Engagement.Status.COMPLETED:
        raise ConflictError("双方确认完工后才能评价")
    value = _int(score, "score", "评分", 1, 5)
    ratee = fresh.worker if side == "employer" else fresh.gig.poster
    if Rating.objects.filter(engagement=fresh, rater=actor).exists():
        raise ConflictError("您已评价过该订单")
    rating = Rating.objects.create(
        engagement=fresh,
        rater=actor,
        ratee=ratee,
        score=value,
        comment=_text(comment, "comment", "评价", 200, required=False),
    )
    _audit("engagement.rate", actor, rating, fresh.gig.region_code, request, score=value)
    return rating
