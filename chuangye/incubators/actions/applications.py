"""Space applications: scoring, submission, the decision queue and allocation of a space."""

import datetime as dt
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Role, User
from chuangye.cases.access import roles_on_case
from chuangye.cases.actions import case_submit, case_transition
from chuangye.cases.models import Case
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.sequences import next_value
from chuangye.inbox.actions import notify
from chuangye.incubators import inputs, params, rules
from chuangye.incubators.access import CASE_TYPE
from chuangye.incubators.actions.common import MAX_START_DELAY_DAYS, _audit
from chuangye.incubators.case_types import DECIDERS, OPEN_STATES
from chuangye.incubators.models import Carrier, Contract, Space, SpaceApplication
from chuangye.incubators.scoring import WEIGHT_NAMES, priority_score
from chuangye.registry.models import Founder, KeyGroupCategory, Person
from chuangye.registry.selectors import active_key_groups


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
