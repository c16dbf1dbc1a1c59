"""Every state change of the incubators app: one function each, atomic, audited.

Concurrency: allocations lock the carrier's row (so two officers cannot both give away the last non-reserved space)
and the database keeps one open contract per space; bookings lock the equipment's row before looking for overlaps,
so two people cannot book the same slot at once (PostgreSQL ``SELECT … FOR UPDATE``; SQLite runs write
transactions one at a time, ``transaction_mode=IMMEDIATE``).
"""

import datetime as dt
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Organisation, Role, User
from chuangye.cases.access import roles_on_case
from chuangye.cases.actions import case_submit, case_transition
from chuangye.cases.models import Case
from chuangye.core.audit import record_event
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.money import parse_money
from chuangye.core.regions import in_scope, validate_region_code
from chuangye.core.sequences import next_value
from chuangye.inbox.actions import notify
from chuangye.incubators import inputs, params, rules
from chuangye.incubators.access import CASE_TYPE, managed_carriers, operator_org_id
from chuangye.incubators.case_types import DECIDERS, OPEN_STATES
from chuangye.incubators.models import (
    BoardPost,
    Booking,
    Carrier,
    CarrierEvent,
    Contract,
    Equipment,
    Evaluation,
    SatisfactionSurvey,
    Space,
    SpaceApplication,
)
from chuangye.incubators.scoring import WEIGHT_NAMES, priority_score
from chuangye.registry.models import Founder, KeyGroupCategory, Person
from chuangye.registry.selectors import active_key_groups

MAX_BOOKING_HOURS = 12
BOOKING_HORIZON_DAYS = 90
MAX_START_DELAY_DAYS = 90


def _require_manager(actor: Any, carrier: Carrier) -> None:
    if not managed_carriers(actor).filter(pk=carrier.pk).exists():
        raise DomainError("只有该载体的运营机构或所在地人社部门可以办理", code="forbidden", status=403)


def _audit(action: str, actor: Any, obj: Any, region: str, request: HttpRequest | None, **details: Any) -> None:
    record_event(
        f"incubators.{action}",
        actor=actor,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        region_code=region,
        details=details,
        request=request,
    )


# Carriers, spaces, equipment, events ----------------------------------------------------------------------------


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


# Space applications ----------------------------------------------------------------------------------------------


def _group_labels() -> dict[str, str]:
    return dict(KeyGroupCategory.objects.filter(province_code="").values_list("fact", "name"))


def score_for(person: Person, *, region_code: str, on: dt.date, planned_jobs: int) -> tuple[list[str], int, list[Any]]:
    """The applicant's key groups on ``on`` (from the registry), and the score with its lines."""
    groups = sorted(active_key_groups(person, on))
    snap = params.snapshot(region_code, on)
    weights = {name: int(snap.value(name) or 0) for name in WEIGHT_NAMES}
    total, lines = priority_score(
        key_groups=groups,
        planned_jobs=planned_jobs,
        first_business=not Founder.objects.filter(person=person).exists(),
        weights=weights,
        group_labels=_group_labels(),
    )
    return groups, total, [line.as_dict() for line in lines]


def application_submit(
    *, applicant: Any, carrier: Carrier, data: Any, idempotency_key: str = "", request: HttpRequest | None = None
) -> Case:
    """A founder applies for a space in a carrier. The score is computed now, from the registry's key groups in
    force today and the weights in force in the carrier's region, and shown to the applicant with each line."""
    person = getattr(applicant, "person", None)
    if getattr(applicant, "role", None) != Role.CITIZEN or person is None:
        raise DomainError("请先以个人身份登录并完成实名信息", code="forbidden", status=403)
    if not carrier.is_active:
        raise ConflictError("该载体已停止运营")
    today = timezone.localdate()
    space_kind = inputs.choice(data, "space_kind", "申请场地类型", Space.Kind.choices)
    if not carrier.spaces.filter(kind=space_kind).exclude(status=Space.Status.UNAVAILABLE).exists():
        raise FieldValueError("space_kind", "申请场地类型", "该载体没有此类场地")
    max_months = int(params.value(carrier.region_code, today, "incubators.max_incubation_months") or 36)
    project_name = inputs.text(data, "project_name", "项目名称", min_len=2, max_len=100)
    summary = inputs.text(data, "project_summary", "项目简介", min_len=10, max_len=2000)
    planned_jobs = inputs.integer(data, "planned_jobs", "计划带动就业人数", maximum=999, default=0)
    months = inputs.integer(data, "months_requested", "申请孵化期（月）", minimum=1, maximum=max_months)
    with transaction.atomic():
        open_here = SpaceApplication.objects.filter(
            person=person, carrier=carrier, case__state__in=OPEN_STATES
        ).exclude(case__idempotency_key=idempotency_key or "-")
        if open_here.exists():
            raise ConflictError("您在该载体已有办理中的入驻申请，请勿重复申请")
        if Contract.objects.filter(person=person, carrier=carrier, status__in=Contract.OPEN).exists():
            raise ConflictError("您已在该载体入孵")
        groups, score, lines = score_for(person, region_code=carrier.region_code, on=today, planned_jobs=planned_jobs)

        def build(case: Case) -> None:
            SpaceApplication.objects.create(
                case=case,
                carrier=carrier,
                person=person,
                space_kind=space_kind,
                project_name=project_name,
                project_summary=summary,
                planned_jobs=planned_jobs,
                months_requested=months,
                key_groups=groups,
                score=score,
                score_breakdown=lines,
            )

        case, created = case_submit(
            case_type_code=CASE_TYPE,
            applicant_user=applicant,
            accepting_region=carrier.region_code,
            deciding_region=carrier.region_code,
            person=person,
            idempotency_key=idempotency_key,
            build_payload=build,
            request=request,
        )
        if created:
            for staff in User.objects.filter(organisation=carrier.operator, role=Role.PARTNER, is_active=True):
                notify(staff, f"新的入驻申请 {case.number}", f"{carrier.name}：{project_name}（优先分{score}）")
    return case


def on_case_transition(case: Case, action: str, actor: Any) -> None:
    """Waitlisting answers the application: the time limit stops while the applicant waits by score."""
    if case.state == "waitlisted":
        Case.objects.filter(pk=case.pk).update(due_at=None, due_provisional=False, deadline_flag="")


def _require_decider(case: Case, actor: Any) -> None:
    if not roles_on_case(case, actor) & DECIDERS:
        raise DomainError("只有该载体的运营机构或所在地人社部门可以办理", code="forbidden", status=403)


def ahead_of(application: SpaceApplication) -> list[SpaceApplication]:
    """Open applications to the same carrier and kind of space that rank before this one (higher score, or the
    same score submitted earlier)."""
    others = (
        SpaceApplication.objects.filter(
            carrier=application.carrier, space_kind=application.space_kind, case__state__in=("submitted", "waitlisted")
        )
        .exclude(pk=application.pk)
        .select_related("case")
    )
    mine = (-application.score, application.case.submitted_at)
    return [o for o in others if (-o.score, o.case.submitted_at) < mine]


def application_waitlist(
    *, actor: Any, application: SpaceApplication, comment: str = "", request: HttpRequest | None = None
) -> Case:
    return case_transition(case=application.case, action="waitlist", actor=actor, comment=comment, request=request)


def application_refuse(
    *, actor: Any, application: SpaceApplication, comment: str, request: HttpRequest | None = None
) -> Case:
    return case_transition(case=application.case, action="refuse", actor=actor, comment=comment, request=request)


@transaction.atomic
def application_allocate(
    *,
    actor: Any,
    application: SpaceApplication,
    space_id: object,
    start_date: dt.date | None = None,
    reason: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Contract:
    """Give the applicant a space and sign the incubation contract in one step.

    Refused: a space that is not free in this carrier; a non-key-group applicant when the government-funded
    carrier's key-group reserve would be broken; passing over higher-ranked applicants without a written reason.
    Key-group tenants of government-funded carriers pay no rent."""
    carrier = Carrier.objects.select_for_update().get(pk=application.carrier_id)
    fresh = SpaceApplication.objects.select_related("case", "person").get(pk=application.pk)
    _require_decider(fresh.case, actor)
    if fresh.case.state not in ("submitted", "waitlisted"):
        raise ConflictError("该申请当前状态不能分配场地")
    if expected_version is not None and fresh.case.version != expected_version:
        raise ConflictError("该办件已被他人处理，请刷新后查看最新状态")
    try:
        space = Space.objects.select_for_update().get(pk=int(str(space_id)), carrier=carrier)
    except (Space.DoesNotExist, ValueError):
        raise FieldValueError("space", "场地", "请选择本载体的场地") from None
    if space.status != Space.Status.AVAILABLE:
        raise ConflictError(f"场地 {space.code} 当前不可分配（{space.get_status_display()}）")
    today = timezone.localdate()
    start = start_date or today
    if start < today or start > today + dt.timedelta(days=MAX_START_DELAY_DAYS):
        raise FieldValueError("start_date", "孵化期起始日", f"应在今天至{MAX_START_DELAY_DAYS}天内")
    snap = params.snapshot(carrier.region_code, today)
    max_months = int(snap.value("incubators.max_incubation_months") or 36)
    if fresh.months_requested > max_months:
        raise FieldValueError("months_requested", "孵化期", f"不能超过{max_months}个月")
    key_group = fresh.is_key_group
    usable = carrier.spaces.exclude(status=Space.Status.UNAVAILABLE).count()
    others_open = Contract.objects.filter(carrier=carrier, status__in=Contract.OPEN, key_group=False).count()
    refusal = rules.quota_refusal(
        government_funded=carrier.government_funded,
        key_group=key_group,
        total=usable,
        other_open=others_open,
        share=snap.value("incubators.key_group_free_share") or Fraction(0),
    )
    if refusal:
        raise DomainError(refusal, code="key_group_reserve")
    passed_over = ahead_of(fresh)
    reason = reason.strip()
    if passed_over and len(reason) < 4:
        raise FieldValueError(
            "reason",
            "越位分配理由",
            f"有{len(passed_over)}位排序在前的申请人仍在等待同类场地，跳过须写明理由（至少4个字）",
        )
    fresh.space = space
    fresh.skip_reason = reason[:300] if passed_over else ""
    fresh.save(update_fields=["space", "skip_reason"])
    case_transition(
        case=fresh.case,
        action="allocate",
        actor=actor,
        comment=f"分配场地 {space.code}" + (f"；{reason}" if reason else ""),
        expected_version=expected_version,
        request=request,
    )
    free = key_group and carrier.government_funded
    year = start.year
    number = f"FHXY-{year}-{carrier.region_code}-{next_value(f'incubator_contract:{year}:{carrier.region_code}'):05d}"
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                number=number,
                application=fresh,
                carrier=carrier,
                space=space,
                person=fresh.person,
                tenant_user=fresh.case.applicant_user,
                key_group=key_group,
                free_rent=free,
                monthly_rent=0 if free else space.monthly_rent,
                start_date=start,
                end_date=rules.add_months(start, fresh.months_requested),
            )
    except IntegrityError:
        raise ConflictError(f"场地 {space.code} 已被分配") from None
    space.status = Space.Status.OCCUPIED
    space.save(update_fields=["status"])
    _audit(
        "allocate",
        actor,
        contract,
        carrier.region_code,
        request,
        case=fresh.case.number,
        space=space.code,
        free_rent=free,
        passed_over=len(passed_over),
    )
    rent = "免收租金" if free else f"月租金{contract.monthly_rent}元"
    notify(
        fresh.case.applicant_user,
        f"已为您分配场地 {space.code}",
        f"{carrier.name}，孵化期 {contract.start_date:%Y-%m-%d} 至 {contract.end_date:%Y-%m-%d}，{rent}。",
        link="/incubators/me/",
        sms=True,
    )
    return contract


# Contracts -------------------------------------------------------------------------------------------------------


@transaction.atomic
def contract_move_in(
    *, actor: Any, contract: Contract, on: dt.date | None = None, request: HttpRequest | None = None
) -> Contract:
    _require_manager(actor, contract.carrier)
    fresh = Contract.objects.select_for_update().get(pk=contract.pk)
    if fresh.status != Contract.Status.SIGNED:
        raise ConflictError("该协议当前状态不能办理入驻")
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise FieldValueError("on", "入驻日期", "不能晚于今天")
    if day < fresh.start_date:
        raise FieldValueError("on", "入驻日期", f"不能早于孵化期起始日 {fresh.start_date:%Y-%m-%d}")
    fresh.status, fresh.moved_in_on = Contract.Status.IN_INCUBATION, day
    fresh.save(update_fields=["status", "moved_in_on"])
    _audit("move_in", actor, fresh, fresh.carrier.region_code, request, on=day.isoformat())
    notify(
        fresh.tenant_user, f"已办理入驻：{fresh.carrier.name}", f"场地 {fresh.space.code}，入驻日期 {day:%Y-%m-%d}。"
    )
    return fresh


@transaction.atomic
def contract_end(
    *,
    actor: Any,
    contract: Contract,
    outcome: str,
    on: dt.date | None = None,
    reason: str = "",
    jobs_created: int | None = None,
    request: HttpRequest | None = None,
) -> Contract:
    """Move-out: graduation (出孵毕业) by the operator or bureau, or early exit (提前退出) asked by the tenant or
    recorded by the operator, with a reason. A tenant who never moved in can only withdraw (未入驻解约). The space
    becomes free again."""
    fresh = Contract.objects.select_for_update().select_related("carrier", "space").get(pk=contract.pk)
    is_tenant = getattr(actor, "pk", None) == fresh.tenant_user_id
    if outcome not in ("graduated", "exited"):
        raise FieldValueError("outcome", "出孵方式", "请选择毕业出孵或提前退出")
    if not is_tenant or outcome == "graduated":
        _require_manager(actor, fresh.carrier)
    if fresh.status not in Contract.OPEN:
        raise ConflictError("该协议已结束")
    if fresh.status == Contract.Status.SIGNED and outcome == "graduated":
        raise ConflictError("尚未入驻，不能毕业出孵")
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise FieldValueError("on", "出孵日期", "不能晚于今天")
    if fresh.moved_in_on and day < fresh.moved_in_on:
        raise FieldValueError("on", "出孵日期", "不能早于入驻日期")
    if outcome == "exited" and len(reason.strip()) < 2:
        raise FieldValueError("reason", "退出原因", "提前退出须写明原因")
    if fresh.status == Contract.Status.SIGNED:
        fresh.status = Contract.Status.CANCELLED
    else:
        fresh.status = Contract.Status(outcome)
        fresh.moved_out_on = day
    fresh.exit_reason = reason.strip()[:300]
    if jobs_created is not None:
        fresh.jobs_created = jobs_created
    fresh.save()
    Space.objects.filter(pk=fresh.space_id).update(status=Space.Status.AVAILABLE)
    _tell_operator_of_next(fresh.carrier, fresh.space)
    _audit("move_out", actor, fresh, fresh.carrier.region_code, request, outcome=fresh.status, on=day.isoformat())
    notify(fresh.tenant_user, f"{fresh.get_status_display()}：{fresh.carrier.name}", fresh.exit_reason)
    return fresh


def _tell_operator_of_next(carrier: Carrier, space: Space) -> None:
    """A space is free again: tell the operator's staff who heads the waiting list for that kind of space."""
    from chuangye.incubators.selectors import waiting_list

    head = waiting_list(carrier, space.kind).first()
    if head is None:
        return
    for staff in User.objects.filter(organisation=carrier.operator, role=Role.PARTNER, is_active=True):
        notify(
            staff,
            f"场地 {space.code} 已空出",
            f"{carrier.name}：排队第一位为 {head.case.number}（优先分{head.score}）。",
            link=f"/incubators/manage/applications/{head.pk}/",
        )


@transaction.atomic
def contract_report_jobs(
    *, actor: Any, contract: Contract, jobs_created: int, request: HttpRequest | None = None
) -> Contract:
    _require_manager(actor, contract.carrier)
    if jobs_created < 0 or jobs_created > 100000:
        raise FieldValueError("jobs_created", "带动就业人数", "应为0至100000的整数")
    Contract.objects.filter(pk=contract.pk).update(jobs_created=jobs_created)
    contract.refresh_from_db()
    _audit("report_jobs", actor, contract, contract.carrier.region_code, request, jobs=jobs_created)
    return contract


@transaction.atomic
def survey_submit(
    *, actor: Any, contract: Contract, data: Any, request: HttpRequest | None = None
) -> SatisfactionSurvey:
    """The tenant's satisfaction survey, once a year, while in incubation or in the year they left."""
    contract = Contract.objects.select_related("carrier").get(pk=contract.pk)
    if getattr(actor, "pk", None) != contract.tenant_user_id:
        raise DomainError("只有入驻主体本人可以填写满意度问卷", code="forbidden", status=403)
    if contract.status in (Contract.Status.SIGNED, Contract.Status.CANCELLED):
        raise ConflictError("入驻后才能评价")
    year = timezone.localdate().year
    rating = inputs.integer(data, "rating", "总体满意度", minimum=1, maximum=5)
    if SatisfactionSurvey.objects.filter(contract=contract, year=year).exists():
        raise ConflictError(f"您已提交{year}年度的满意度问卷")
    survey = SatisfactionSurvey.objects.create(
        contract=contract,
        year=year,
        rating=rating,
        comment=inputs.text(data, "comment", "意见建议", max_len=500, required=False),
    )
    _audit("survey", actor, survey, contract.carrier.region_code, request, year=year)
    return survey


@transaction.atomic
def evaluation_record(
    *, actor: Any, carrier: Carrier, year: int, conclusion: str, request: HttpRequest | None = None
) -> Evaluation:
    """The bureau's annual evaluation: indicators computed from the data, compared with the demonstration
    criteria in force at the year's end (or today for the current year), and frozen."""
    from chuangye.incubators.selectors import evaluation_rows

    if actor.role not in (Role.OFFICER, Role.SUPERVISOR):
        raise DomainError("年度评价由人社部门作出", code="forbidden", status=403)
    _require_manager(actor, carrier)
    if year > timezone.localdate().year or year < 2000:
        raise FieldValueError("year", "年度", "应为本年度或以前的年度")
    if len(conclusion.strip()) < 4:
        raise FieldValueError("conclusion", "评价意见", "至少4个字")
    if Evaluation.objects.filter(carrier=carrier, year=year).exists():
        raise ConflictError(f"{year}年度已评价")
    indicators, criteria = evaluation_rows(carrier, year)
    stored = {
        "indicators": {k: (str(v) if v is not None else None) for k, v in indicators.items()},
        "criteria": [
            {k: (str(v) if k in ("value", "threshold") and v is not None else v) for k, v in row.items()}
            for row in criteria
        ],
    }
    evaluation = Evaluation.objects.create(
        carrier=carrier,
        year=year,
        indicators=stored,
        meets_criteria=all(row["passed"] for row in criteria),
        conclusion=conclusion.strip()[:2000],
        evaluated_by=actor,
    )
    _audit("evaluate", actor, evaluation, carrier.region_code, request, year=year, meets=evaluation.meets_criteria)
    return evaluation


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
