"""Every change in nurturing founders: one function each, in a transaction, with an audit event."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest

from chuangye.accounts.models import Role, User
from chuangye.core.audit import record_event
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.regions import in_scope
from chuangye.cultivation import judging
from chuangye.cultivation.access import competitions_managed_by
from chuangye.cultivation.inputs import parse_assessment, parse_simulation, simulation_to_json
from chuangye.cultivation.models import (
    HONOUR_LEVELS,
    Assessment,
    Award,
    Competition,
    Criterion,
    Enrolment,
    Honour,
    Judge,
    Level,
    LoanAttachment,
    MentorNote,
    Programme,
    Score,
    Simulation,
    Stage,
    Submission,
)
from chuangye.cultivation.scoring import assess
from chuangye.cultivation.simulator import simulate, stressed
from chuangye.loans.access import access_application_by_id
from chuangye.loans.case_types import OPEN_STATES
from chuangye.registry.models import Person


def _person(actor: Any) -> Person:
    person: Person | None = getattr(actor, "person", None)
    if getattr(actor, "role", None) != Role.CITIZEN or person is None:
        raise DomainError("请先完成实名登记", code="no_person")
    return person


def _text(value: object, name: str, label: str, *, low: int = 2, high: int = 200) -> str:
    text = str(value or "").strip()
    if not low <= len(text) <= high:
        raise FieldValueError(name, label, f"请用{low}至{high}个字填写")
    if text[0] in "=+-@":
        raise FieldValueError(name, label, "不能以 = + - @ 开头")
    return text


# --- Project and risk assessment -------------------------------------------------------------------------------


@transaction.atomic
def assessment_create(*, actor: Any, data: Mapping[str, Any], request: HttpRequest | None = None) -> Assessment:
    """Grade the founder's project with the current scoring model and keep the result as computed."""
    person = _person(actor)
    text, inputs = parse_assessment(data)
    result = assess(inputs)
    assessment = Assessment.objects.create(
        person=person,
        created_by=actor,
        region_code=person.region_code,
        project_name=text["project_name"],
        location=text["location"],
        industry=inputs.industry,
        site=inputs.site,
        investment=inputs.investment,
        own_funds=inputs.own_funds,
        loan_amount=inputs.loan_amount,
        loan_term_months=inputs.loan_term_months,
        loan_annual_rate=inputs.loan_annual_rate,
        price=inputs.price,
        monthly_volume=inputs.monthly_volume,
        unit_variable_cost=inputs.unit_variable_cost,
        monthly_fixed_cost=inputs.monthly_fixed_cost,
        experience_years=inputs.experience_years,
        team_size=inputs.team_size,
        model_version=result.version,
        score=result.score,
        grade=result.grade,
        grade_label=result.grade_label,
        factors=[asdict(f) for f in result.factors],
        recommendations=list(result.recommendations),
        monthly_profit=result.monthly_profit,
        monthly_repayment=result.monthly_repayment,
    )
    record_event(
        "cultivation.assessment_create",
        actor=actor,
        object_type="cultivation.assessment",
        object_id=assessment.pk,
        region_code=person.region_code,
        details={"version": result.version, "score": result.score, "grade": result.grade},
        request=request,
    )
    return assessment


@transaction.atomic
def mentor_note_add(
    *, actor: Any, assessment: Assessment, text: object, request: HttpRequest | None = None
) -> MentorNote:
    if getattr(actor, "role", None) not in (Role.MENTOR, Role.OFFICER, Role.SUPERVISOR):
        raise PermissionDenied
    note = MentorNote.objects.create(
        assessment=assessment, author=actor, text=_text(text, "note", "导师意见", high=1000)
    )
    record_event(
        "cultivation.mentor_note_add",
        actor=actor,
        object_type="cultivation.assessment",
        object_id=assessment.pk,
        region_code=assessment.region_code,
        request=request,
    )
    return note


# --- Business simulation --------------------------------------------------------------------------------------


@transaction.atomic
def simulation_save(*, actor: Any, data: Mapping[str, Any], request: HttpRequest | None = None) -> Simulation:
    """Save a scenario: its inputs, and the headline figures of the normal and the stressed run."""
    person = _person(actor)
    name = _text(data.get("name"), "name", "方案名称", high=40)
    inputs = parse_simulation(data)
    base, stress = simulate(inputs), simulate(stressed(inputs))
    simulation = Simulation.objects.create(
        person=person,
        region_code=person.region_code,
        name=name,
        months=inputs.months,
        inputs=simulation_to_json(inputs),
        break_even_month=base.break_even_month,
        lowest_cash=base.lowest_cash,
        lowest_cash_month=base.lowest_cash_month,
        final_cash=base.final_cash,
        stress_lowest_cash=stress.lowest_cash,
    )
    record_event(
        "cultivation.simulation_save",
        actor=actor,
        object_type="cultivation.simulation",
        object_id=simulation.pk,
        region_code=person.region_code,
        request=request,
    )
    return simulation


# --- Attaching to a loan application --------------------------------------------------------------------------


@transaction.atomic
def loan_attach(
    *,
    actor: Any,
    application_id: object,
    assessment: Assessment | None = None,
    simulation: Simulation | None = None,
    request: HttpRequest | None = None,
) -> LoanAttachment:
    """Attach the founder's own assessment and/or simulation to their own open loan application.

    Ownership of the application is checked by the loans app's access function; the assessment and simulation
    must be the same person's. Attaching again replaces what was attached of the same kind.
    """
    person = _person(actor)
    try:
        application = access_application_by_id(actor, application_id)
    except Http404:
        raise FieldValueError("application", "贷款申请", "请选择您本人的贷款申请") from None
    if application.person_id != person.pk:
        raise FieldValueError("application", "贷款申请", "请选择您本人的贷款申请")
    if application.case.state not in OPEN_STATES:
        raise ConflictError("该贷款申请已办结，不能再附加评估或模拟")
    if assessment is None and simulation is None:
        raise DomainError("请选择要附加的项目评估或模拟方案", code="nothing_to_attach")
    for item in (assessment, simulation):
        if item is not None and item.person_id != person.pk:
            raise FieldValueError("application", "贷款申请", "只能附加您本人的评估或模拟")
    link = LoanAttachment.objects.select_for_update().filter(application=application).first()
    if link is None:
        link = LoanAttachment(application=application, attached_by=actor)
    if assessment is not None:
        link.assessment = assessment
    if simulation is not None:
        link.simulation = simulation
    link.attached_by = actor
    link.save()
    record_event(
        "cultivation.loan_attach",
        actor=actor,
        object_type="loans.application",
        object_id=application.pk,
        region_code=application.region_code,
        details={
            "assessment": assessment.pk if assessment else None,
            "simulation": simulation.pk if simulation else None,
        },
        request=request,
    )
    return link


# --- Programmes -----------------------------------------------------------------------------------------------


def _date(value: object, name: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise FieldValueError(name, label, "应为日期，例如 2026-12-01") from None


@transaction.atomic
def programme_create(*, actor: Any, data: Mapping[str, Any], request: HttpRequest | None = None) -> Programme:
    if getattr(actor, "role", None) not in (Role.OFFICER, Role.SUPERVISOR):
        raise PermissionDenied
    kind = str(data.get("kind") or "")
    if kind not in Programme.Kind.values:
        raise FieldValueError("kind", "类型", "请选择训练营、实训或扶持包")
    group = str(data.get("target_group") or "")
    if group not in Programme.Group.values:
        raise FieldValueError("target_group", "面向群体", "请选择面向群体")
    capacity = str(data.get("capacity") or "").strip()
    if not capacity.isdigit() or not 1 <= int(capacity) <= 10000:
        raise FieldValueError("capacity", "名额", "应为1至10000的整数")
    starts, ends = (
        _date(data.get("starts_on"), "starts_on", "开始日期"),
        _date(data.get("ends_on"), "ends_on", "结束日期"),
    )
    if ends < starts:
        raise FieldValueError("ends_on", "结束日期", "不能早于开始日期")
    supports = [s for s in data.get("supports", []) if s in Programme.SUPPORTS]
    if not supports:
        raise FieldValueError("supports", "扶持内容", "至少选择一项")
    programme = Programme.objects.create(
        kind=kind,
        title=_text(data.get("title"), "title", "名称", high=60),
        target_group=group,
        region_code=actor.region_code,
        description=_text(data.get("description"), "description", "内容", high=2000),
        supports=supports,
        capacity=int(capacity),
        starts_on=starts,
        ends_on=ends,
        created_by=actor,
    )
    record_event(
        "cultivation.programme_create",
        actor=actor,
        object_type="cultivation.programme",
        object_id=programme.pk,
        region_code=programme.region_code,
        request=request,
    )
    return programme


@transaction.atomic
def programme_signup(*, actor: Any, programme: Programme, request: HttpRequest | None = None) -> Enrolment:
    """Sign up for a programme while places remain (the programme row is locked, so the last place goes once)."""
    person = _person(actor)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if Enrolment.objects.filter(programme=programme, person=person).exists():
        raise ConflictError("您已报名该项目")
    taken = programme.enrolments.exclude(outcome=Enrolment.Outcome.WITHDRAWN).count()
    if taken >= programme.capacity:
        raise ConflictError("名额已满")
    enrolment = Enrolment.objects.create(programme=programme, person=person)
    record_event(
        "cultivation.programme_signup",
        actor=actor,
        object_type="cultivation.programme",
        object_id=programme.pk,
        region_code=programme.region_code,
        request=request,
    )
    return enrolment


@transaction.atomic
def enrolment_outcome(
    *, actor: Any, enrolment: Enrolment, outcome: str, note: object = "", request: HttpRequest | None = None
) -> Enrolment:
    if outcome not in Enrolment.Outcome.values or outcome == Enrolment.Outcome.ENROLLED:
        raise FieldValueError("outcome", "结果", "请选择结业、结业并创业或退出")
    enrolment.outcome = outcome
    enrolment.note = str(note or "").strip()[:200]
    enrolment.save(update_fields=["outcome", "note"])
    record_event(
        "cultivation.enrolment_outcome",
        actor=actor,
        object_type="cultivation.programme",
        object_id=enrolment.programme_id,
        region_code=enrolment.programme.region_code,
        details={"enrolment": enrolment.pk, "outcome": outcome},
        request=request,
    )
    return enrolment


# --- Competitions ---------------------------------------------------------------------------------------------


def _managed(actor: Any, competition: Competition) -> Competition:
    """The competition, locked, if the actor's region runs it."""
    locked = competitions_managed_by(actor).select_for_update().filter(pk=competition.pk).first()
    if locked is None:
        raise PermissionDenied
    return locked


def _points(value: object, name: str, label: str, maximum: Decimal) -> Decimal:
    try:
        points = Decimal(str(value or "").strip())
    except InvalidOperation:
        raise FieldValueError(name, label, "应为数字") from None
    if not points.is_finite() or points != points.quantize(Decimal("0.1")) or not 0 <= points <= maximum:
        raise FieldValueError(name, label, f"应为0至{maximum}之间、最多一位小数的分数")
    return points.quantize(Decimal("0.1"))


@transaction.atomic
def competition_create(*, actor: Any, data: Mapping[str, Any], request: HttpRequest | None = None) -> Competition:
    """A competition with its stages (one per line, in order) and its rubric (lines of "评分项:分值")."""
    if getattr(actor, "role", None) not in (Role.OFFICER, Role.SUPERVISOR):
        raise PermissionDenied
    level = str(data.get("level") or "")
    if level not in Level.values:
        raise FieldValueError("level", "级别", "请选择赛事级别")
    year = str(data.get("year") or "").strip()
    if not year.isdigit() or not 2000 <= int(year) <= 2100:
        raise FieldValueError("year", "年度", "应为四位年份")
    stages = [s.strip() for s in str(data.get("stages") or "").splitlines() if s.strip()]
    if not 1 <= len(stages) <= 6 or any(len(s) > 20 for s in stages):
        raise FieldValueError("stages", "比赛阶段", "每行一个阶段，1至6个，每个不超过20字")
    rubric: list[tuple[str, Decimal]] = []
    for line in str(data.get("rubric") or "").splitlines():
        if not line.strip():
            continue
        name, _, points = line.replace("：", ":").partition(":")
        if not name.strip() or len(name.strip()) > 30:
            raise FieldValueError("rubric", "评分细则", "每行写作“评分项:分值”，例如 创新性:30")
        value = _points(points, "rubric", "评分细则中的分值", Decimal(100))
        if value <= 0:
            raise FieldValueError("rubric", "评分细则", "分值必须大于零")
        rubric.append((name.strip(), value))
    if not rubric or sum(p for _, p in rubric) > 100:
        raise FieldValueError("rubric", "评分细则", "至少一项，各项分值合计不超过100")
    competition = Competition.objects.create(
        name=_text(data.get("name"), "name", "赛事名称", high=80),
        level=level,
        region_code=actor.region_code,
        organiser=_text(data.get("organiser"), "organiser", "主办单位", high=80),
        year=int(year),
        description=str(data.get("description") or "").strip()[:2000],
        created_by=actor,
    )
    Stage.objects.bulk_create(Stage(competition=competition, order=i, name=n) for i, n in enumerate(stages, 1))
    Criterion.objects.bulk_create(Criterion(competition=competition, name=n, max_points=p) for n, p in rubric)
    record_event(
        "cultivation.competition_create",
        actor=actor,
        object_type="cultivation.competition",
        object_id=competition.pk,
        region_code=competition.region_code,
        request=request,
    )
    return competition


@transaction.atomic
def judge_add(*, actor: Any, competition: Competition, username: object, request: HttpRequest | None = None) -> Judge:
    """Seat a mentor or partner-organisation expert as judge. Their organisation decides whom they must not judge."""
    competition = _managed(actor, competition)
    user = User.objects.filter(username=str(username or "").strip(), is_active=True).first()
    if user is None or user.role not in (Role.MENTOR, Role.PARTNER):
        raise FieldValueError("username", "评委账号", "须为创业导师或合作机构人员的账号")
    try:
        with transaction.atomic():
            judge = Judge.objects.create(competition=competition, user=user)
    except IntegrityError:
        raise ConflictError("该账号已是本赛事评委") from None
    record_event(
        "cultivation.judge_add",
        actor=actor,
        object_type="cultivation.competition",
        object_id=competition.pk,
        region_code=competition.region_code,
        details={"judge": user.pk},
        request=request,
    )
    return judge


@transaction.atomic
def submission_create(
    *, actor: Any, competition: Competition, data: Mapping[str, Any], request: HttpRequest | None = None
) -> Submission:
    person = _person(actor)
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if not competition.submissions_open:
        raise ConflictError("本赛事已截止报名")
    if not in_scope(competition.region_code, person.region_code):
        raise ConflictError("本赛事只接受主办地区内的创业者报名")
    first = competition.stages.order_by("order").first()
    if first is None:
        raise ConflictError("本赛事尚未设置比赛阶段")
    from chuangye.accounts.models import Organisation

    organisation = None
    if data.get("organisation"):
        organisation = Organisation.objects.filter(pk=str(data.get("organisation")), is_active=True).first()
        if organisation is None:
            raise FieldValueError("organisation", "所属单位", "请从列表中选择")
    if Submission.objects.filter(competition=competition, person=person).exists():
        raise ConflictError("您已报名本赛事")
    submission = Submission.objects.create(
        competition=competition,
        person=person,
        organisation=organisation,
        project_name=_text(data.get("project_name"), "project_name", "项目名称", high=60),
        summary=_text(data.get("summary"), "summary", "项目简介", low=10, high=2000),
        stage=first,
    )
    record_event(
        "cultivation.submission_create",
        actor=actor,
        object_type="cultivation.competition",
        object_id=competition.pk,
        region_code=competition.region_code,
        details={"submission": submission.pk},
        request=request,
    )
    return submission


@transaction.atomic
def scores_record(
    *, actor: Any, submission: Submission, values: Mapping[str, object], request: HttpRequest | None = None
) -> Decimal:
    """A judge scores every criterion of the rubric for the entry's current stage; returns the judge's total.

    A judge from the entry's own organisation is refused (回避). Scoring again replaces the judge's earlier scores
    for this stage.
    """
    judge = Judge.objects.filter(competition_id=submission.competition_id, user=actor).first()
    if judge is None:
        raise PermissionDenied
    if judging.conflicted(actor.organisation_id, submission.organisation_id):
        raise ConflictError("您与该参赛项目属同一单位，应当回避")
    criteria = list(submission.competition.criteria.all())
    scores = {
        c.pk: _points(values.get(f"criterion_{c.pk}"), f"criterion_{c.pk}", c.name, c.max_points) for c in criteria
    }
    total = judging.judge_total(scores, {c.pk: c.max_points for c in criteria})
    Score.objects.filter(submission=submission, stage=submission.stage, judge=judge).delete()
    Score.objects.bulk_create(
        Score(submission=submission, stage=submission.stage, judge=judge, criterion_id=pk, value=value)
        for pk, value in scores.items()
    )
    record_event(
        "cultivation.scores_record",
        actor=actor,
        object_type="cultivation.submission",
        object_id=submission.pk,
        region_code=submission.competition.region_code,
        details={"stage": submission.stage_id, "total": str(total)},
        request=request,
    )
    return total


@transaction.atomic
def stage_advance(
    *, actor: Any, competition: Competition, top: object, request: HttpRequest | None = None
) -> list[Submission]:
    """Move the best ``top`` entries of the current stage on to the next (ties at the cut all go through).

    Every entry of the stage must be fully scored first; reporting is by the judging arithmetic of ``judging``.
    """
    from chuangye.cultivation.selectors import current_stage, stage_ranking

    competition = _managed(actor, competition)
    stage = current_stage(competition)
    following = competition.stages.filter(order__gt=stage.order).order_by("order").first() if stage else None
    if stage is None or following is None:
        raise ConflictError("已是最后一个阶段，不能再晋级")
    text = str(top or "").strip()
    if not text.isdigit() or int(text) < 1:
        raise FieldValueError("top", "晋级名额", "应为正整数")
    ranking = stage_ranking(competition, stage)
    if not ranking.rows or ranking.unscored:
        raise ConflictError("本阶段还有项目未完成评分，不能晋级")
    winners = [row.submission for row in ranking.rows if row.rank <= int(text)]
    Submission.objects.filter(pk__in=[s.pk for s in winners]).update(stage=following)
    competition.submissions_open = False
    competition.save(update_fields=["submissions_open"])
    record_event(
        "cultivation.stage_advance",
        actor=actor,
        object_type="cultivation.competition",
        object_id=competition.pk,
        region_code=competition.region_code,
        details={"from": stage.pk, "to": following.pk, "entries": [s.pk for s in winners]},
        request=request,
    )
    return winners


@transaction.atomic
def award_grant(
    *,
    actor: Any,
    submission: Submission,
    title: object,
    awarded_on: object,
    request: HttpRequest | None = None,
) -> Award:
    """Award an entry. At city level or above the award also becomes the founder's honour (设区的市级以上荣誉),
    which the counter-guarantee waiver reads through the facts provider."""
    competition = _managed(actor, submission.competition)
    if Award.objects.filter(submission=submission).exists():
        raise ConflictError("该项目已获奖")
    on = _date(awarded_on, "awarded_on", "授奖日期")
    award = Award.objects.create(submission=submission, title=_text(title, "title", "奖项", high=30), awarded_on=on)
    if competition.level in HONOUR_LEVELS:
        Honour.objects.create(
            person=submission.person,
            title=f"{competition}{award.title}",
            level=competition.level,
            awarded_on=on,
            award=award,
        )
    record_event(
        "cultivation.award_grant",
        actor=actor,
        object_type="cultivation.submission",
        object_id=submission.pk,
        region_code=competition.region_code,
        details={"title": award.title, "level": competition.level},
        request=request,
    )
    return award
