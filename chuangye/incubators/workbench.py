"""Workbench pages for the bureau and the carriers' operators: carriers, spaces, equipment, applications in rank
order, allocation, contracts (move-in, move-out), indicators and the annual evaluation."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from chuangye.accounts.access import roles
from chuangye.accounts.models import Organisation, Role
from chuangye.cases import types
from chuangye.cases.access import roles_on_case
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.regions import significant_prefix
from chuangye.incubators import actions, inputs, params, selectors
from chuangye.incubators.access import (
    access_application,
    access_contract,
    access_managed_carrier,
    applications_for,
    managed_carriers,
    operator_org_id,
)
from chuangye.incubators.case_types import DECIDERS
from chuangye.incubators.models import Carrier, Contract, Space

MANAGERS = (Role.OFFICER, Role.SUPERVISOR, Role.PARTNER)
STAFF = frozenset({Role.OFFICER, Role.SUPERVISOR})


def _is_staff(user: Any) -> bool:
    return getattr(user, "role", None) in STAFF


def _status(error: DomainError) -> int:
    return error.status if 400 <= error.status < 500 and error.status != 404 else 422


@roles(*MANAGERS)
def home(request: HttpRequest) -> HttpResponse:
    carriers = managed_carriers(request.user).select_related("operator")
    pending = (
        applications_for(request.user)
        .filter(case__state__in=("submitted", "waitlisted"))
        .select_related("case", "carrier", "person")
        .order_by("carrier", "-score", "case__submitted_at")
    )
    rows = [(a, types.get(a.case.case_type).states[a.case.state]) for a in pending[:200]]
    can_create = operator_org_id(request.user) is not None or _is_staff(request.user)
    return render(
        request,
        "incubators/manage_home.html",
        {"carriers": carriers, "pending": rows, "can_create": can_create},
    )


@roles(*MANAGERS)
def carrier_new(request: HttpRequest) -> HttpResponse:
    is_staff = _is_staff(request.user)
    operators = Organisation.objects.none()
    if is_staff:
        operators = Organisation.objects.filter(
            kind=Organisation.Kind.INCUBATOR,
            is_active=True,
            region_code__startswith=significant_prefix(getattr(request.user, "region_code", "")),
        )
    allowed = is_staff or operator_org_id(request.user) is not None
    context: dict[str, Any] = {
        "allowed": allowed,
        "is_staff": is_staff,
        "operators": operators,
        "kinds": Carrier.Kind.choices,
        "levels": Carrier.Level.choices,
        "data": {"kind": "base", "level": "none", "region_code": getattr(request.user, "region_code", "")},
    }
    if request.method == "POST":
        context["data"] = request.POST
        try:
            carrier = actions.carrier_create(actor=request.user, data=request.POST, request=request)
        except DomainError as error:
            context["error"] = error
            return render(request, "incubators/carrier_new.html", context, status=_status(error))
        return redirect("incubators:manage_carrier", carrier_id=carrier.pk)
    return render(request, "incubators/carrier_new.html", context)


@roles(*MANAGERS)
def carrier_manage(request: HttpRequest, carrier_id: int) -> HttpResponse:
    carrier = access_managed_carrier(request.user, carrier_id)
    today = timezone.localdate()
    try:
        year = inputs.integer(request.GET, "year", "年度", minimum=2000, maximum=today.year, default=today.year)
    except FieldValueError:
        year = today.year
    error: DomainError | None = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            _carrier_act(request, carrier, action)
        except DomainError as exc:
            error = exc
        else:
            return redirect("incubators:manage_carrier", carrier_id=carrier.pk)
    indicators, criteria = selectors.evaluation_rows(carrier, year)
    context = {
        "carrier": carrier,
        "spaces": carrier.spaces.all(),
        "equipment": carrier.equipment.all(),
        "reserve": selectors.reserve_of(carrier, today),
        "queue": selectors.waiting_list(carrier),
        "contracts": carrier.contracts.select_related("space", "person").order_by("status", "-created_at")[:200],
        "events": carrier.events.all()[:50],
        "evaluations": carrier.evaluations.all(),
        "criteria": criteria,
        "indicators": indicators,
        "year": year,
        "is_staff": _is_staff(request.user),
        "space_kinds": Space.Kind.choices,
        "levels": Carrier.Level.choices,
        "params": params.all_params(carrier.region_code, today),
        "error": error,
        "post": request.POST if error else {},
    }
    return render(request, "incubators/manage_carrier.html", context, status=_status(error) if error else 200)


def _carrier_act(request: HttpRequest, carrier: Carrier, action: str) -> None:
    if action == "update":
        actions.carrier_update(actor=request.user, carrier=carrier, data=request.POST, request=request)
    elif action == "add_space":
        actions.space_add(actor=request.user, carrier=carrier, data=request.POST, request=request)
    elif action == "add_equipment":
        actions.equipment_add(actor=request.user, carrier=carrier, data=request.POST, request=request)
    elif action == "add_event":
        actions.carrier_event_add(actor=request.user, carrier=carrier, data=request.POST, request=request)
    elif action in ("space_off", "space_on"):
        space = carrier.spaces.filter(pk=inputs.integer(request.POST, "space", "场地", minimum=1)).first()
        if space is None:
            raise FieldValueError("space", "场地", "请选择本载体的场地")
        actions.space_set_available(actor=request.user, space=space, available=action == "space_on", request=request)
    elif action == "evaluate":
        actions.evaluation_record(
            actor=request.user,
            carrier=carrier,
            year=inputs.integer(request.POST, "year", "年度", minimum=2000, maximum=9999),
            conclusion=request.POST.get("conclusion", ""),
            request=request,
        )
    else:
        raise DomainError("未知操作", code="unknown_action")


@roles(*MANAGERS)
def application_page(request: HttpRequest, space_application_id: int) -> HttpResponse:
    application = access_application(request.user, space_application_id)
    case = application.case
    error: DomainError | None = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        comment = request.POST.get("comment", "")
        try:
            if action == "allocate":
                start = inputs.date(request.POST, "start_date", "孵化期起始日", default=timezone.localdate())
                contract = actions.application_allocate(
                    actor=request.user,
                    application=application,
                    space_id=request.POST.get("space", ""),
                    start_date=start,
                    reason=comment,
                    expected_version=int(request.POST.get("version") or case.version),
                    request=request,
                )
                return redirect("incubators:contract", contract_id=contract.pk)
            if action == "waitlist":
                actions.application_waitlist(actor=request.user, application=application, comment=comment)
            elif action == "refuse":
                actions.application_refuse(actor=request.user, application=application, comment=comment)
            else:
                raise DomainError("未知操作", code="unknown_action")
        except DomainError as exc:
            error = exc
        except ValueError:
            error = DomainError("页面已过期，请刷新后重试")
        else:
            return redirect("incubators:application", space_application_id=application.pk)
        application.refresh_from_db()
        case.refresh_from_db()
    case_type = types.get(case.case_type)
    can_decide = bool(roles_on_case(case, request.user) & DECIDERS) and case.state in ("submitted", "waitlisted")
    free_spaces = application.carrier.spaces.filter(status=Space.Status.AVAILABLE)
    context = {
        "application": application,
        "case": case,
        "state_label": case_type.states[case.state],
        "rank": selectors.rank_of(application),
        "ahead": actions.ahead_of(application) if can_decide else [],
        "can_decide": can_decide,
        "same_kind": free_spaces.filter(kind=application.space_kind),
        "other_kind": free_spaces.exclude(kind=application.space_kind),
        "reserve": selectors.reserve_of(application.carrier),
        "contract": Contract.objects.filter(application=application).first(),
        "error": error,
        "today": timezone.localdate(),
    }
    return render(request, "incubators/application.html", context, status=_status(error) if error else 200)


@roles(*MANAGERS)
def contract_page(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = access_contract(request.user, contract_id)
    error: DomainError | None = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "move_in":
                day = inputs.date(request.POST, "on", "入驻日期", default=timezone.localdate())
                actions.contract_move_in(actor=request.user, contract=contract, on=day, request=request)
            elif action in ("graduate", "exit"):
                day = inputs.date(request.POST, "on", "出孵日期", default=timezone.localdate())
                jobs = inputs.integer(request.POST, "jobs_created", "带动就业人数", maximum=100000, default=0)
                actions.contract_end(
                    actor=request.user,
                    contract=contract,
                    outcome="graduated" if action == "graduate" else "exited",
                    on=day,
                    reason=request.POST.get("reason", ""),
                    jobs_created=jobs,
                    request=request,
                )
            elif action == "jobs":
                jobs = inputs.integer(request.POST, "jobs_created", "带动就业人数", maximum=100000)
                actions.contract_report_jobs(actor=request.user, contract=contract, jobs_created=jobs, request=request)
            else:
                raise DomainError("未知操作", code="unknown_action")
        except DomainError as exc:
            error = exc
        else:
            return redirect("incubators:contract", contract_id=contract.pk)
        contract.refresh_from_db()
    return render(
        request,
        "incubators/contract.html",
        {"contract": contract, "error": error, "today": timezone.localdate()},
        status=_status(error) if error else 200,
    )
