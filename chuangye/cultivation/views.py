"""创业培育 pages: project assessment, business simulation, attaching both to a loan application, programmes,
the low-risk project catalogue, competitions and judging."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chuangye.accounts.access import public, roles, signed_in, throttle
from chuangye.accounts.models import Organisation, Role
from chuangye.core.errors import DomainError
from chuangye.core.regions import in_scope
from chuangye.cultivation import actions
from chuangye.cultivation.access import (
    access_assessment_by_id,
    access_competition_by_id,
    access_entry_for_judging,
    access_managed_programme_by_id,
    access_programme_by_id,
    access_simulation_by_id,
    assessments_for,
    competitions_managed_by,
    enrolments_for,
    judged_entries,
    may_note,
    simulations_for,
)
from chuangye.cultivation.catalogue import BY_CODE, PROJECT_TYPES
from chuangye.cultivation.inputs import (
    ASSESSMENT_LABELS,
    SEASON_FIELDS,
    parse_simulation,
    simulation_from_json,
)
from chuangye.cultivation.models import Competition, Enrolment, Honour, Level, Programme, Score, Submission
from chuangye.cultivation.scoring import INDUSTRIES, MODEL_VERSION, SITES
from chuangye.cultivation.selectors import current_stage, open_applications, stage_ranking
from chuangye.cultivation.simulator import METHODS, chart_data, simulate, stressed

FOUNDER_WORK = (Role.CITIZEN, Role.OFFICER, Role.SUPERVISOR, Role.MENTOR, Role.PARTNER)
STAFF = (Role.OFFICER, Role.SUPERVISOR)
JUDGES = (Role.MENTOR, Role.PARTNER)


def _me(request: HttpRequest) -> Any:
    """The signed-in user (every view here is guarded by an access declaration)."""
    return request.user


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """Citizens and visitors see the portal's frame, everyone else the workbench's."""
    citizen = getattr(request.user, "role", None) in (None, Role.CITIZEN)
    context["frame"] = "portal/base.html" if citizen else "workbench/base.html"
    return render(request, template, context, status=status)


def _error_response(request: HttpRequest, template: str, context: dict[str, Any], error: DomainError) -> HttpResponse:
    context["error"] = error
    return _render(request, template, context, status=min(error.status, 422))


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    context: dict[str, Any] = {
        "assessments": assessments_for(user)[:10] if user.role in FOUNDER_WORK else [],
        "simulations": simulations_for(user)[:10] if user.role in FOUNDER_WORK else [],
        "enrolments": enrolments_for(user).select_related("programme")[:10] if user.role == Role.CITIZEN else [],
        "entries": Submission.objects.filter(person__user=user).select_related("competition", "stage")
        if user.role == Role.CITIZEN
        else [],
        "to_judge": judged_entries(user).select_related("competition", "stage")[:50] if user.role in JUDGES else [],
        "honours": Honour.objects.filter(person__user=user) if user.role == Role.CITIZEN else [],
    }
    return _render(request, "cultivation/home.html", context)


# --- Assessment ------------------------------------------------------------------------------------------------


@roles(*FOUNDER_WORK)
def assessment_list(request: HttpRequest) -> HttpResponse:
    rows = assessments_for(_me(request)).select_related("person")[:200]
    return _render(request, "cultivation/assessment_list.html", {"assessments": rows})


@roles(Role.CITIZEN)
@throttle("30/h")
def assessment_new(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "industries": {k: v[0] for k, v in INDUSTRIES.items()},
        "sites": {k: v[0] for k, v in SITES.items()},
        "labels": ASSESSMENT_LABELS,
        "data": {"team_size": "1", "experience_years": "0", "loan_term_months": "24", "loan_annual_rate": "0"},
        "version": MODEL_VERSION,
    }
    if request.method == "POST":
        context["data"] = request.POST
        try:
            assessment = actions.assessment_create(actor=_me(request), data=request.POST, request=request)
        except DomainError as error:
            return _error_response(request, "cultivation/assessment_new.html", context, error)
        return redirect("cultivation:assessment", assessment_id=assessment.pk)
    return _render(request, "cultivation/assessment_new.html", context)


@roles(*FOUNDER_WORK)
def assessment_page(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = access_assessment_by_id(_me(request), assessment_id)
    own = _me(request).role == Role.CITIZEN
    context: dict[str, Any] = {
        "assessment": assessment,
        "notes": assessment.notes.select_related("author"),
        "own": own,
        "may_note": may_note(_me(request), assessment),
        "applications": open_applications(_me(request)) if own else [],
        "industry_label": INDUSTRIES.get(assessment.industry, ("",))[0],
    }
    if request.method == "POST":
        try:
            if request.POST.get("action") == "attach" and own:
                actions.loan_attach(
                    actor=_me(request),
                    application_id=request.POST.get("application"),
                    assessment=assessment,
                    request=request,
                )
                messages.success(request, "已将项目评估附到贷款申请，经办银行和人社部门审核时可以看到")
            elif request.POST.get("action") == "note" and context["may_note"]:
                actions.mentor_note_add(
                    actor=_me(request), assessment=assessment, text=request.POST.get("note"), request=request
                )
                messages.success(request, "已添加意见")
            else:
                raise DomainError("无法执行该操作", code="unknown_action")
        except DomainError as error:
            return _error_response(request, "cultivation/assessment.html", context, error)
        return redirect("cultivation:assessment", assessment_id=assessment.pk)
    return _render(request, "cultivation/assessment.html", context)


# --- Simulation ------------------------------------------------------------------------------------------------


def _sim_context(inputs: Any) -> dict[str, Any]:
    base, stress = simulate(inputs), simulate(stressed(inputs))
    return {
        "base": base,
        "stress": stress,
        "rows": list(zip(base.months, stress.months, strict=True)),
        "chart": chart_data(base, stress),
    }


def _prefill(request: HttpRequest) -> dict[str, Any]:
    """Start values: from a catalogue project type, from the founder's own assessment, or plain defaults."""
    data: dict[str, Any] = {"months": 24, "start_month": 1, "loan_method": "equal_principal", "loan_annual_rate": "0"}
    data |= dict.fromkeys(SEASON_FIELDS, 100)
    project = BY_CODE.get(request.GET.get("project", ""))
    if project is not None:
        data |= {
            "name": project.name,
            "initial_investment": str(project.investment_low),
            "opening_cash": str(project.investment_low),
            "price": str(project.price),
            "monthly_volume": project.monthly_volume,
            "unit_variable_cost": str(project.unit_variable_cost),
            "monthly_fixed_cost": str(project.monthly_fixed_cost),
        }
    source = request.GET.get("assessment", "")
    if source.isdigit():
        a = assessments_for(_me(request)).filter(pk=int(source)).first()
        if a is not None:
            data |= {
                "name": a.project_name,
                "initial_investment": str(a.investment),
                "opening_cash": str(a.own_funds),
                "loan_principal": str(a.loan_amount),
                "loan_term_months": a.loan_term_months,
                "loan_annual_rate": str(a.loan_annual_rate),
                "price": str(a.price),
                "monthly_volume": a.monthly_volume,
                "unit_variable_cost": str(a.unit_variable_cost),
                "monthly_fixed_cost": str(a.monthly_fixed_cost),
            }
    return data


@roles(*FOUNDER_WORK)
def simulation_list(request: HttpRequest) -> HttpResponse:
    rows = simulations_for(_me(request)).select_related("person")[:200]
    return _render(request, "cultivation/simulation_list.html", {"simulations": rows})


@roles(Role.CITIZEN)
@throttle("120/h")
def simulation_new(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"methods": METHODS, "season_fields": list(enumerate(SEASON_FIELDS, start=1))}
    if request.method != "POST":
        context["data"] = _prefill(request)
        return _render(request, "cultivation/simulation_new.html", context)
    context["data"] = request.POST
    try:
        if request.POST.get("action") == "save":
            simulation = actions.simulation_save(actor=_me(request), data=request.POST, request=request)
            return redirect("cultivation:simulation", simulation_id=simulation.pk)
        context |= _sim_context(parse_simulation(request.POST))
    except DomainError as error:
        return _error_response(request, "cultivation/simulation_new.html", context, error)
    return _render(request, "cultivation/simulation_new.html", context)


@roles(*FOUNDER_WORK)
def simulation_page(request: HttpRequest, simulation_id: int) -> HttpResponse:
    simulation = access_simulation_by_id(_me(request), simulation_id)
    own = _me(request).role == Role.CITIZEN
    inputs = simulation_from_json(simulation.inputs)
    context: dict[str, Any] = {
        "simulation": simulation,
        "inputs": inputs,
        "method_label": METHODS[inputs.loan_method],
        "own": own,
        "applications": open_applications(_me(request)) if own else [],
        **_sim_context(inputs),
    }
    if request.method == "POST" and own:
        try:
            actions.loan_attach(
                actor=_me(request),
                application_id=request.POST.get("application"),
                simulation=simulation,
                request=request,
            )
        except DomainError as error:
            return _error_response(request, "cultivation/simulation.html", context, error)
        messages.success(request, "已将模拟方案附到贷款申请，经办银行和人社部门审核时可以看到")
        return redirect("cultivation:simulation", simulation_id=simulation.pk)
    return _render(request, "cultivation/simulation.html", context)


@roles(*FOUNDER_WORK)
def simulation_compare(request: HttpRequest) -> HttpResponse:
    """Saved scenarios side by side (up to four), each with its stressed run."""
    ids = [int(i) for i in request.GET.getlist("ids") if i.isdigit()][:4]
    chosen = list(simulations_for(_me(request)).filter(pk__in=ids))
    columns = []
    for simulation in chosen:
        inputs = simulation_from_json(simulation.inputs)
        columns.append({"simulation": simulation, "inputs": inputs, **_sim_context(inputs)})
    all_mine = simulations_for(_me(request))[:50]
    return _render(
        request, "cultivation/simulation_compare.html", {"columns": columns, "choices": all_mine, "ids": ids}
    )


# --- Low-risk projects and programmes --------------------------------------------------------------------------


@public
def projects(request: HttpRequest) -> HttpResponse:
    return _render(request, "cultivation/projects.html", {"projects": PROJECT_TYPES})


@public
def programme_list(request: HttpRequest) -> HttpResponse:
    rows = Programme.objects.annotate(
        taken=Count("enrolments", filter=~Q(enrolments__outcome=Enrolment.Outcome.WITHDRAWN))
    )
    group = request.GET.get("group", "")
    if group in Programme.Group.values:
        rows = rows.filter(target_group__in=[group, Programme.Group.ALL])
    return _render(
        request,
        "cultivation/programme_list.html",
        {"programmes": rows[:200], "groups": Programme.Group.choices, "group": group},
    )


@public
def programme_page(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access_programme_by_id(_me(request), programme_id)
    taken = programme.enrolments.exclude(outcome=Enrolment.Outcome.WITHDRAWN).count()
    outcomes = dict(programme.enrolments.values("outcome").annotate(n=Count("id")).values_list("outcome", "n"))
    context: dict[str, Any] = {
        "programme": programme,
        "taken": taken,
        "left": max(programme.capacity - taken, 0),
        "outcomes": [(label, outcomes.get(value, 0)) for value, label in Enrolment.Outcome.choices],
    }
    user = _me(request)
    if getattr(user, "role", None) == Role.CITIZEN:
        context["mine"] = programme.enrolments.filter(person__user=user).first()
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.role != Role.CITIZEN:
            raise PermissionDenied
        try:
            actions.programme_signup(actor=user, programme=programme, request=request)
        except DomainError as error:
            return _error_response(request, "cultivation/programme.html", context, error)
        messages.success(request, "报名成功")
        return redirect("cultivation:programme", programme_id=programme.pk)
    return _render(request, "cultivation/programme.html", context)


@roles(*STAFF)
def programme_new(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "kinds": Programme.Kind.choices,
        "groups": Programme.Group.choices,
        "supports": Programme.SUPPORTS,
        "data": {},
    }
    if request.method == "POST":
        data: dict[str, Any] = request.POST.dict()
        data["supports"] = request.POST.getlist("supports")
        context["data"] = data
        try:
            programme = actions.programme_create(actor=_me(request), data=data, request=request)
        except DomainError as error:
            return _error_response(request, "cultivation/programme_new.html", context, error)
        return redirect("cultivation:roster", programme_id=programme.pk)
    return _render(request, "cultivation/programme_new.html", context)


@roles(*STAFF)
def roster(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = access_managed_programme_by_id(_me(request), programme_id)
    enrolments = programme.enrolments.select_related("person").order_by("id")
    context: dict[str, Any] = {"programme": programme, "enrolments": enrolments, "outcomes": Enrolment.Outcome}
    if request.method == "POST":
        enrolment = enrolments.filter(pk=request.POST.get("enrolment") or 0).first()
        try:
            if enrolment is None:
                raise DomainError("请选择报名记录", code="invalid")
            actions.enrolment_outcome(
                actor=_me(request),
                enrolment=enrolment,
                outcome=request.POST.get("outcome", ""),
                note=request.POST.get("note", ""),
                request=request,
            )
        except DomainError as error:
            return _error_response(request, "cultivation/roster.html", context, error)
        return redirect("cultivation:roster", programme_id=programme.pk)
    return _render(request, "cultivation/roster.html", context)


# --- Competitions ----------------------------------------------------------------------------------------------


@signed_in
def competition_list(request: HttpRequest) -> HttpResponse:
    rows = Competition.objects.annotate(entries=Count("submissions"))[:200]
    return _render(
        request,
        "cultivation/competition_list.html",
        {"competitions": rows, "may_create": _me(request).role in STAFF},
    )


@roles(*STAFF)
def competition_new(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "levels": Level.choices,
        "data": {"stages": "初赛\n复赛\n决赛", "rubric": "创新性:30\n商业可行性:30\n团队:20\n社会效益:20"},
    }
    if request.method == "POST":
        context["data"] = request.POST
        try:
            competition = actions.competition_create(actor=_me(request), data=request.POST, request=request)
        except DomainError as error:
            return _error_response(request, "cultivation/competition_new.html", context, error)
        return redirect("cultivation:competition", competition_id=competition.pk)
    return _render(request, "cultivation/competition_new.html", context)


def _competition_context(request: HttpRequest, competition: Competition) -> dict[str, Any]:
    user = _me(request)
    manages = competitions_managed_by(user).filter(pk=competition.pk).exists()
    stages = list(competition.stages.all())
    rankings = [stage_ranking(competition, s) for s in stages] if manages else []
    awards = Submission.objects.filter(competition=competition, award__isnull=False).select_related("award")
    person = getattr(user, "person", None) if user.role == Role.CITIZEN else None
    return {
        "competition": competition,
        "stages": stages,
        "criteria": competition.criteria.all(),
        "judges": competition.judges.select_related("user", "user__organisation"),
        "manages": manages,
        "rankings": rankings,
        "current": current_stage(competition),
        "awards": awards,
        "mine": Submission.objects.filter(competition=competition, person=person).select_related("stage").first()
        if person
        else None,
        "may_enter": person is not None
        and competition.submissions_open
        and in_scope(competition.region_code, person.region_code),
        "organisations": Organisation.objects.filter(
            is_active=True, region_code__startswith=competition.region_code[:2]
        )
        .exclude(kind=Organisation.Kind.BUREAU)
        .order_by("name")[:300]
        if person
        else [],
        "data": {},
    }


@signed_in
def competition_page(request: HttpRequest, competition_id: int) -> HttpResponse:
    competition = access_competition_by_id(_me(request), competition_id)
    context = _competition_context(request, competition)
    if request.method == "POST":
        action = request.POST.get("action", "")
        context["data"] = request.POST
        try:
            if action == "enter" and _me(request).role == Role.CITIZEN:
                actions.submission_create(
                    actor=_me(request), competition=competition, data=request.POST, request=request
                )
                messages.success(request, "报名成功")
            elif action == "judge" and context["manages"]:
                actions.judge_add(
                    actor=_me(request), competition=competition, username=request.POST.get("username"), request=request
                )
            elif action == "advance" and context["manages"]:
                winners = actions.stage_advance(
                    actor=_me(request), competition=competition, top=request.POST.get("top"), request=request
                )
                messages.success(request, f"{len(winners)} 个项目晋级")
            elif action == "award" and context["manages"]:
                entry = Submission.objects.filter(competition=competition, pk=request.POST.get("submission") or 0)
                if not entry.exists():
                    raise DomainError("请选择获奖项目", code="invalid")
                actions.award_grant(
                    actor=_me(request),
                    submission=entry.get(),
                    title=request.POST.get("title"),
                    awarded_on=request.POST.get("awarded_on"),
                    request=request,
                )
                messages.success(request, "已登记获奖")
            else:
                raise DomainError("无法执行该操作", code="unknown_action")
        except DomainError as error:
            return _error_response(request, "cultivation/competition.html", context, error)
        return redirect("cultivation:competition", competition_id=competition.pk)
    return _render(request, "cultivation/competition.html", context)


@roles(*JUDGES)
def score_sheet(request: HttpRequest, submission_id: int) -> HttpResponse:
    entry = access_entry_for_judging(_me(request), submission_id)
    criteria = list(entry.competition.criteria.all())
    earlier = {
        s.criterion_id: s.value
        for s in Score.objects.filter(submission=entry, stage=entry.stage, judge__user=_me(request))
    }
    context: dict[str, Any] = {
        "entry": entry,
        "rows": [(c, earlier.get(c.pk, "")) for c in criteria],
        "scored": bool(earlier),
    }
    if request.method == "POST":
        try:
            total = actions.scores_record(actor=_me(request), submission=entry, values=request.POST, request=request)
        except DomainError as error:
            return _error_response(request, "cultivation/score_sheet.html", context, error)
        messages.success(request, f"评分已保存，合计 {total} 分")
        return redirect("cultivation:home")
    return _render(request, "cultivation/score_sheet.html", context)
