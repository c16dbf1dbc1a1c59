"""Every state change of plan 8: one function each, atomic, audited, checked against the actor's scope.

Gig market: post, review, close, take, confirm, complete, rate, report, block. Rights protection: submit (one click
from an engagement), refer to legal aid. Registration: online and counter submissions, the certificate on approval.
Social-insurance subsidy: the one-time application, periodic claims, payment batches.
"""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.access import is_staff_role
from chuangye.accounts.models import Organisation, Role
from chuangye.cases.access import roles_on_case
from chuangye.cases.actions import case_submit, case_transition
from chuangye.cases.deadlines import due_after, end_of_local_day, local_date
from chuangye.cases.models import Case
from chuangye.cases.types import OFFICER
from chuangye.core.audit import record_event
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.files import attachment_create
from chuangye.core.money import allocate, parse_money
from chuangye.core.pii import mask_name
from chuangye.core.regions import in_scope, validate_region_code
from chuangye.core.retirement import category_for, retirement_date
from chuangye.core.sequences import next_value
from chuangye.flexible import case_types, geo
from chuangye.flexible.access import is_employer
from chuangye.flexible.models import (
    Block,
    Certificate,
    EmploymentRegistration,
    Engagement,
    Gig,
    HardToPlace,
    MarketSetting,
    PaymentBatch,
    Rating,
    Report,
    RightsRequest,
    ServiceZone,
    SubsidyClaim,
    SubsidyEnrolment,
    SubsidyMonth,
    WorkerProfile,
)
from chuangye.flexible.taxonomy import JOB_TYPES, industry_of
from chuangye.inbox.actions import notify
from chuangye.registry.actions import person_get_or_create
from chuangye.registry.models import Employment, Person

MAX_HEADCOUNT = 200
MAX_CLAIM_MONTHS = 12


# --- input helpers -------------------------------------------------------------------------------------------------


def _text(value: object, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if not text and required:
        raise FieldValueError(field, label, "不能为空")
    if len(text) > max_length:
        raise FieldValueError(field, label, f"不能超过{max_length}个字")
    if text and text[0] in "=+-@":
        raise FieldValueError(field, label, "不能以公式符号开头")
    return text


def _date(value: object, field: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise FieldValueError(field, label, "应为日期，格式 YYYY-MM-DD") from None


def _time(value: object, field: str, label: str) -> dt.time:
    try:
        return dt.time.fromisoformat(str(value or "").strip())
    except ValueError:
        raise FieldValueError(field, label, "应为时间，格式 HH:MM") from None


def _month(value: object, field: str, label: str) -> dt.date:
    text = str(value or "").strip()
    try:
        return dt.date.fromisoformat(f"{text}-01") if len(text) == 7 else dt.date.fromisoformat(text).replace(day=1)
    except ValueError:
        raise FieldValueError(field, label, "应为月份，格式 YYYY-MM") from None


def _int(value: object, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(str(value or "").strip())
    except ValueError:
        raise FieldValueError(field, label, "应为整数") from None
    if not low <= number <= high:
        raise FieldValueError(field, label, f"应在 {low} 到 {high} 之间")
    return number


def _choice(value: object, choices: Any, field: str, label: str) -> str:
    text = str(value or "")
    if text not in choices.values:
        raise FieldValueError(field, label, "请从列表中选择")
    return text


def _person(actor: Any) -> Person:
    person = getattr(actor, "person", None) if getattr(actor, "role", None) == Role.CITIZEN else None
    if not isinstance(person, Person):
        raise DomainError("请先完成实名登记（个人信息）后再办理", code="no_person", status=403)
    return person


def _require_staff_in(actor: Any, region_code: str) -> None:
    if not is_staff_role(actor) or not in_scope(actor.region_code, region_code):
        raise DomainError("不在您的管辖范围内", code="forbidden", status=403)


def is_blocked(user: Any) -> bool:
    return Block.objects.filter(user=user, lifted_at__isnull=True).exists()


def _not_blocked(user: Any) -> None:
    if is_blocked(user):
        raise DomainError("您的账号因被举报核实已暂停使用零工市场，请联系零工服务专区", code="blocked", status=403)


def _audit(action: str, actor: Any, obj: Any, region_code: str, request: HttpRequest | None, **details: Any) -> None:
    record_event(
        f"flexible.{action}",
        actor=actor,
        object_type=type(obj).__name__.lower(),
        object_id=obj.pk,
        region_code=region_code,
        details=details,
        request=request,
    )


# --- gig market ----------------------------------------------------------------------------------------------------


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


# --- rights protection ---------------------------------------------------------------------------------------------


@transaction.atomic
def rights_submit(
    *,
    actor: Any,
    kind: object,
    description: object,
    amount: object = None,
    engagement: Engagement | None = None,
    respondent_name: object = "",
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Raise a rights-protection request. Raised from a gig it names the gig and its poster and takes the green
    channel; unpaid-wage requests take the green channel too."""
    person = _person(actor)
    kind_value = _choice(kind, RightsRequest.Kind, "kind", "诉求类型")
    gig = None
    if engagement is not None:
        if engagement.worker_id != actor.pk:
            raise DomainError("只有接单的求职者可以就该订单维权", code="forbidden", status=403)
        gig = engagement.gig
        respondent = gig.poster_name
        region = gig.region_code
        default_text = f"零工订单「{gig.title}」（{gig.work_date:%Y-%m-%d}，{gig.address}）"
        text = str(description or "").strip() or f"{default_text}：{RightsRequest.Kind(kind_value).label}"
        idempotency_key = idempotency_key or f"engagement-{engagement.pk}-{kind_value}"
    else:
        respondent = _text(respondent_name, "respondent_name", "被投诉方", 100)
        region = person.region_code
        text = str(description or "")
    text = _text(text, "description", "情况说明", 2000)
    claimed = (
        parse_money(amount, field="amount", label="涉及金额", allow_zero=False) if amount not in (None, "") else None
    )
    green = gig is not None or kind_value == RightsRequest.Kind.WAGES

    def payload(case: Case) -> None:
        RightsRequest.objects.create(
            case=case,
            kind=kind_value,
            gig=gig,
            engagement=engagement,
            respondent_user=gig.poster if gig is not None else None,
            respondent_name=respondent,
            amount_claimed=claimed,
            description=text,
            green_channel=green,
        )
        if green:
            case.due_at, case.due_provisional = due_after(
                local_date(case.submitted_at), case_types.GREEN_CHANNEL_WORKDAYS
            )
            case.save(update_fields=["due_at", "due_provisional"])

    case, _ = case_submit(
        case_type_code="flexible.rights",
        applicant_user=actor,
        accepting_region=region,
        deciding_region=region,
        person=person,
        idempotency_key=idempotency_key[:80],
        build_payload=payload,
        request=request,
    )
    return case


@transaction.atomic
def rights_refer(*, actor: Any, case: Case, organisation_id: object, request: HttpRequest | None = None) -> Case:
    """Refer a rights case to a legal-aid organisation (a partner); it then sees the case and records the outcome."""
    if OFFICER not in roles_on_case(case, actor):
        raise DomainError("您不能转介该办件", code="forbidden", status=403)
    try:
        org = Organisation.objects.get(pk=int(str(organisation_id)), kind=Organisation.Kind.LEGAL_AID, is_active=True)
    except (ValueError, Organisation.DoesNotExist):
        raise FieldValueError("organisation", "法律援助机构", "请选择有效的法律援助机构") from None
    rights = RightsRequest.objects.select_for_update().get(case=case)
    rights.legal_aid, rights.referred_at = org, timezone.now()
    rights.save(update_fields=["legal_aid", "referred_at"])
    fresh = case_transition(case=case, action="refer", actor=actor, comment=f"转介至{org.name}", request=request)
    for staff in org.users.filter(is_active=True):
        notify(staff, f"新转介维权案件 {case.number}", link="/flexible/legal-aid/")
    return fresh


def on_rights_transition(case: Case, action: str, actor: Any) -> None:
    if action in ("resolve", "aid_resolve"):
        event = case.events.filter(action=action).order_by("-at", "-id").first()
        RightsRequest.objects.filter(case=case).update(outcome=event.comment if event else "")


# --- employment and unemployment registration ----------------------------------------------------------------------


def _registration_details(person: Person, kind: str, data: Mapping[str, object]) -> dict[str, Any]:
    if kind not in EmploymentRegistration.Kind.values:
        raise FieldValueError("kind", "登记类型", "应为就业登记或失业登记")
    basis = _choice(data.get("basis") or "residence", EmploymentRegistration.Basis, "basis", "登记地")
    since = _date(data.get("since"), "since", "就业（失业）日期")
    today = timezone.localdate()
    if since > today:
        raise FieldValueError("since", "就业（失业）日期", "不能晚于今天")
    age_16 = (
        person.birth_date.replace(year=person.birth_date.year + 16)
        if not (person.birth_date.month == 2 and person.birth_date.day == 29)
        else dt.date(person.birth_date.year + 16, 3, 1)
    )
    if today < age_16:
        raise DomainError("未满16周岁，不能办理就业失业登记", code="age")
    # The registry does not know a woman's post type; the later (cadre) retirement age is used so that nobody is
    # turned away who may still be of working age.
    if today >= retirement_date(person.birth_date, category_for(person.sex, "cadre")):
        raise DomainError("已达到法定退休年龄，不能办理就业失业登记", code="age")
    form, employer = "", ""
    if kind == EmploymentRegistration.Kind.EMPLOYMENT:
        form = _choice(data.get("form"), EmploymentRegistration.Form, "form", "就业形式")
        employer = _text(data.get("employer_name"), "employer_name", "用人单位或从业内容", 100)
    if str(data.get("commitment") or "") not in ("1", "on", "true", "True"):
        raise FieldValueError("commitment", "书面承诺", "须承诺所填信息真实")
    # 户籍地 or 常住地, whichever the person chooses: no check of household registration is made.
    region = person.hukou_region_code if basis == EmploymentRegistration.Basis.HUKOU else person.region_code
    return {
        "person": person,
        "kind": kind,
        "basis": basis,
        "region_code": region,
        "form": form,
        "employer_name": employer,
        "since": since,
        "commitment": True,
    }


@transaction.atomic
def registration_submit(
    *,
    actor: Any,
    kind: str,
    data: Mapping[str, object],
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Online self-declaration by the person, with the written commitment; decided within 10 working days."""
    person = _person(actor)
    details = _registration_details(person, kind, data)
    details["channel"] = EmploymentRegistration.Channel.ONLINE

    def payload(case: Case) -> None:
        EmploymentRegistration.objects.create(case=case, **details)

    case, _ = case_submit(
        case_type_code=f"flexible.{kind}",
        applicant_user=actor,
        accepting_region=details["region_code"],
        deciding_region=details["region_code"],
        person=person,
        idempotency_key=idempotency_key[:80],
        build_payload=payload,
        request=request,
    )
    return case


@transaction.atomic
def registration_counter(
    *, actor: Any, kind: str, data: Mapping[str, object], request: HttpRequest | None = None
) -> Case:
    """At the counter: the officer records the person's self-declaration; the case is due the same day. The
    person may register at this office whether it is their 户籍地 or their 常住地."""
    if not is_staff_role(actor):
        raise DomainError("只有经办人员可以窗口受理", code="forbidden", status=403)
    region = validate_region_code(actor.region_code, label="受理窗口所在地")
    person = person_get_or_create(
        actor=actor, name=data.get("name"), id_number=data.get("id_number"), region_code=region
    )
    details = _registration_details(person, kind, data)
    details["region_code"], details["channel"] = region, EmploymentRegistration.Channel.COUNTER

    def payload(case: Case) -> None:
        EmploymentRegistration.objects.create(case=case, **details)
        case.due_at, case.due_provisional = end_of_local_day(local_date(case.submitted_at)), False
        case.save(update_fields=["due_at", "due_provisional"])

    case, _ = case_submit(
        case_type_code=f"flexible.{kind}",
        applicant_user=person.user or actor,
        accepting_region=region,
        deciding_region=region,
        person=person,
        build_payload=payload,
        request=request,
    )
    return case


def certificate_issue(person: Person, region_code: str) -> Certificate:
    """The 《就业创业证》 number: issuing region, year and a per-region serial (one certificate per person)."""
    existing = Certificate.objects.filter(person=person).first()
    if existing is not None:
        return existing
    year = timezone.localdate().year
    serial = next_value(f"flexible:certificate:{region_code}:{year}")
    return Certificate.objects.create(person=person, number=f"{region_code}{year}{serial:08d}", region_code=region_code)


def on_registration_transition(case: Case, action: str, actor: Any) -> None:
    registration = EmploymentRegistration.objects.select_related("person").get(case=case)
    if action == "refuse":
        event = case.events.filter(action="refuse").order_by("-at", "-id").first()
        comment = event.comment if event else ""
        if any(word in comment for word in case_types.FORBIDDEN_REFUSAL_WORDS):
            raise DomainError(
                "不得以户籍、户口或档案为由拒绝办理就业失业登记（人社厅发〔2020〕3号），请在户籍地或常住地受理",
                code="hukou_refusal",
            )
    if action == "approve":
        certificate = certificate_issue(registration.person, registration.region_code)
        registration.certificate_number = certificate.number
        registration.save(update_fields=["certificate_number"])
        person = registration.person
        if registration.kind == EmploymentRegistration.Kind.UNEMPLOYMENT:
            person.employment = Employment.UNEMPLOYED
        else:
            person.employment = {
                EmploymentRegistration.Form.EMPLOYED: Employment.EMPLOYED,
                EmploymentRegistration.Form.SELF_EMPLOYED: Employment.SELF_EMPLOYED,
                EmploymentRegistration.Form.FLEXIBLE: Employment.FLEXIBLE,
            }[EmploymentRegistration.Form(registration.form)]
        person.save(update_fields=["employment", "updated_at"])


# --- social-insurance subsidy --------------------------------------------------------------------------------------


def _open_enrolment(person: Person) -> SubsidyEnrolment | None:
    return (
        SubsidyEnrolment.objects.filter(person=person)
        .exclude(case__state__in=["refused", "withdrawn"])
        .select_related("case")
        .first()
    )


@transaction.atomic
def enrolment_submit(
    *,
    actor: Any,
    declared_contribution: object,
    proof: UploadedFile | None,
    request: HttpRequest | None = None,
) -> Case:
    """Apply once for the subsidy, with the latest month's contribution and its receipt."""
    person = _person(actor)
    if _open_enrolment(person) is not None:
        raise ConflictError("您已申请过社会保险补贴资格，请按期申领，无需重复申请")
    paid = parse_money(
        declared_contribution, field="declared_contribution", label="最近一个月实际缴费", allow_zero=False
    )
    if proof is None:
        raise FieldValueError("proof", "缴费凭证", "请上传社会保险缴费凭证")

    def payload(case: Case) -> None:
        SubsidyEnrolment.objects.create(
            case=case, person=person, region_code=person.region_code, declared_contribution=paid
        )
        attachment_create(
            upload=proof,
            object_type="case",
            object_id=case.pk,
            region_code=case.region_code,
            actor=actor,
            field="proof",
            label="缴费凭证",
        )

    case, _ = case_submit(
        case_type_code="flexible.si_subsidy",
        applicant_user=actor,
        accepting_region=person.region_code,
        deciding_region=person.region_code,
        person=person,
        build_payload=payload,
        request=request,
    )
    return case


def _month_outcome(person: Person, enrolment: SubsidyEnrolment, month: dt.date, paid: Decimal, used: int) -> Any:
    """Decide one month: the policy sees the months used including this one and is evaluated on that month's last
    day (or today, for the current month), so the caps and the retirement rule apply month by month."""
    from chuangye.policies.decide import decide
    from chuangye.registry.facts import person_facts

    next_month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    on = min(next_month - dt.timedelta(days=1), timezone.localdate())
    facts = person_facts(person, on)
    facts["si_contribution_paid"] = f"{paid:.2f}"
    facts["si_subsidy_months_received"] = used
    first = enrolment.approved_on or timezone.localdate()
    facts["first_si_subsidy_date"] = first.isoformat()
    return decide("subsidy.social_insurance", facts, on=on, region_code=enrolment.region_code)


def enrolment_refusal(case: Case) -> str | None:
    """The approval guard: the policy decides on the declared contribution as of today."""
    enrolment = SubsidyEnrolment.objects.select_related("person").get(case=case)
    used = SubsidyMonth.objects.filter(person=enrolment.person).count() + 1
    today = timezone.localdate()
    outcome = _month_outcome(enrolment.person, enrolment, today.replace(day=1), enrolment.declared_contribution, used)
    if outcome.eligible:
        return None
    return "不符合补贴条件：" + "；".join(c.reason for c in outcome.criteria if not c.passed)


def on_enrolment_decided(case: Case, actor: Any) -> None:
    if case.state == "approved":
        SubsidyEnrolment.objects.filter(case=case).update(approved_on=local_date(case.decided_at or timezone.now()))


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = (current.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


@transaction.atomic
def claim_submit(
    *,
    actor: Any,
    first_month: object,
    last_month: object,
    contribution: object,
    proof: UploadedFile | None,
    request: HttpRequest | None = None,
) -> SubsidyClaim:
    """先缴后补: claim for months already paid, with the total paid and the receipt."""
    person = _person(actor)
    enrolment = _open_enrolment(person)
    if enrolment is None or enrolment.case.state != "approved":
        raise DomainError("请先申请并取得社会保险补贴资格", code="not_enrolled")
    first = _month(first_month, "first_month", "起始月份")
    last = _month(last_month, "last_month", "截止月份")
    if last < first:
        raise FieldValueError("last_month", "截止月份", "不能早于起始月份")
    if last > timezone.localdate().replace(day=1):
        raise FieldValueError("last_month", "截止月份", "先缴后补：不能申领尚未到来的月份")
    months = _months(first, last)
    if len(months) > MAX_CLAIM_MONTHS:
        raise FieldValueError("last_month", "截止月份", f"一次最多申领{MAX_CLAIM_MONTHS}个月")
    paid_before = set(SubsidyMonth.objects.filter(person=person, month__in=months).values_list("month", flat=True))
    if paid_before:
        listed = "、".join(f"{m:%Y年%m月}" for m in sorted(paid_before))
        raise FieldValueError("first_month", "起始月份", f"{listed}已经补贴过，同一月份不能重复申领")
    pending = SubsidyClaim.objects.filter(
        enrolment__person=person, status=SubsidyClaim.Status.SUBMITTED, first_month__lte=last, last_month__gte=first
    )
    if pending.exists():
        raise ConflictError("所选月份已有待审核的申领")
    paid = parse_money(contribution, field="contribution", label="实际缴费合计", allow_zero=False)
    if proof is None:
        raise FieldValueError("proof", "缴费凭证", "请上传所申领月份的缴费凭证")
    claim = SubsidyClaim.objects.create(
        enrolment=enrolment, region_code=enrolment.region_code, first_month=first, last_month=last, contribution=paid
    )
    attachment_create(
        upload=proof,
        object_type="si_claim",
        object_id=claim.pk,
        region_code=claim.region_code,
        actor=actor,
        field="proof",
        label="缴费凭证",
    )
    _audit("claim.submit", actor, claim, claim.region_code, request, months=len(months))
    return claim


@transaction.atomic
def claim_decide(
    *, actor: Any, claim: SubsidyClaim, approve: bool, note: str = "", request: HttpRequest | None = None
) -> SubsidyClaim:
    """The officer decides a claim. Each month is decided by the policy (≤ 2/3 of that month's contribution, the
    month caps and the retirement rule); months it refuses are left out. Each paid month is a row that the database
    keeps unique per person, so a month can never be paid twice."""
    fresh = SubsidyClaim.objects.select_for_update().select_related("enrolment__person").get(pk=claim.pk)
    _require_staff_in(actor, fresh.region_code)
    if fresh.status != SubsidyClaim.Status.SUBMITTED:
        raise ConflictError("该申领已审核")
    person, enrolment = fresh.enrolment.person, fresh.enrolment
    if person.user_id == actor.pk:
        raise DomainError("不能审核本人的申领", code="maker_checker", status=403)
    fresh.decided_by, fresh.decided_at = actor, timezone.now()
    if not approve:
        if len(note.strip()) < 2:
            raise FieldValueError("note", "审核意见", "不予补贴须写明理由")
        fresh.status, fresh.decision_note, fresh.amount = SubsidyClaim.Status.REJECTED, note.strip(), None
        fresh.save()
        _audit("claim.reject", actor, fresh, fresh.region_code, request)
        notify(person.user, "社会保险补贴申领未通过", note.strip(), link="/flexible/me/subsidy/")
        return fresh
    months = _months(fresh.first_month, fresh.last_month)
    shares = allocate(fresh.contribution, [1] * len(months))
    used = SubsidyMonth.objects.filter(person=person).count()
    lines: list[str] = []
    granted: list[tuple[dt.date, Decimal, Decimal]] = []
    total = Decimal("0.00")
    for month, paid in zip(months, shares, strict=True):
        outcome = _month_outcome(person, enrolment, month, paid, used + len(granted) + 1)
        if outcome.eligible and outcome.amount:
            granted.append((month, paid, outcome.amount))
            total += outcome.amount
            lines.append(f"{month:%Y年%m月}：缴费 {paid} 元，补贴 {outcome.amount} 元")
        else:
            reasons = "；".join(c.reason for c in outcome.criteria if not c.passed)
            lines.append(f"{month:%Y年%m月}：不予补贴（{reasons}）")
    if not granted:
        fresh.status, fresh.amount = SubsidyClaim.Status.REJECTED, None
    else:
        try:
            with transaction.atomic():
                SubsidyMonth.objects.bulk_create(
                    [SubsidyMonth(person=person, month=m, claim=fresh, contribution=p, amount=a) for m, p, a in granted]
                )
        except IntegrityError:
            raise ConflictError("所申领月份中有月份已经补贴过，同一月份不能重复补贴") from None
        fresh.status, fresh.amount = SubsidyClaim.Status.APPROVED, total
    fresh.decision_note = "\n".join([*lines, note.strip()] if note.strip() else lines)
    fresh.save()
    _audit("claim.decide", actor, fresh, fresh.region_code, request, status=fresh.status, amount=str(fresh.amount))
    notify(
        person.user,
        f"社会保险补贴申领{fresh.get_status_display()}",
        f"核定补贴 {fresh.amount} 元。" if fresh.amount else "",
        link="/flexible/me/subsidy/",
    )
    return fresh


@transaction.atomic
def batch_create(*, actor: Any, request: HttpRequest | None = None) -> PaymentBatch:
    """Gather the region's approved, unbatched claims into one payment batch."""
    _require_staff_in(actor, actor.region_code)
    from chuangye.accounts.access import region_filter

    scope = region_filter(actor)
    claims = SubsidyClaim.objects.select_for_update().filter(
        scope, status=SubsidyClaim.Status.APPROVED, batch__isnull=True
    )
    ids = list(claims.values_list("pk", flat=True))
    if not ids:
        raise DomainError("没有待拨付的已核定申领", code="empty")
    year = timezone.localdate().year
    serial = next_value(f"flexible:batch:{actor.region_code}:{year}")
    batch = PaymentBatch.objects.create(
        number=f"SBPF-{year}-{actor.region_code}-{serial:04d}", region_code=actor.region_code, created_by=actor
    )
    SubsidyClaim.objects.filter(pk__in=ids).update(batch=batch)
    batch.total = SubsidyClaim.objects.filter(batch=batch).aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
    batch.save(update_fields=["total"])
    _audit("batch.create", actor, batch, batch.region_code, request, claims=len(ids), total=str(batch.total))
    return batch


@transaction.atomic
def batch_pay(*, actor: Any, batch: PaymentBatch, request: HttpRequest | None = None) -> PaymentBatch:
    """Record that a batch was paid. A second officer confirms (not whoever made the batch)."""
    fresh = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    _require_staff_in(actor, fresh.region_code)
    if fresh.status != PaymentBatch.Status.OPEN:
        raise ConflictError("该批次已拨付")
    if fresh.created_by_id == actor.pk:
        raise DomainError("拨付须由生成批次以外的人员复核确认", code="maker_checker", status=403)
    fresh.status, fresh.paid_by, fresh.paid_at = PaymentBatch.Status.PAID, actor, timezone.now()
    fresh.save(update_fields=["status", "paid_by", "paid_at"])
    claims = SubsidyClaim.objects.filter(batch=fresh).select_related("enrolment__person__user")
    for claim in claims:
        notify(claim.enrolment.person.user, "社会保险补贴已拨付", f"{claim} 补贴 {claim.amount} 元已拨付。")
    claims.update(status=SubsidyClaim.Status.PAID)
    _audit("batch.pay", actor, fresh, fresh.region_code, request, total=str(fresh.total))
    return fresh
