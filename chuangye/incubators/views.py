"""Public and founder pages: the carrier directory, a carrier's page, applying for a space, my tenancy, equipment
booking and the shared-resources board."""

import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from chuangye.accounts.access import public, roles, signed_in, throttle
from chuangye.accounts.models import Role
from chuangye.cases import types
from chuangye.core.errors import DomainError
from chuangye.incubators import actions, params, selectors
from chuangye.incubators.access import (
    access_bookable_equipment,
    access_booking,
    access_contract,
    access_public_carrier,
    applications_for,
    bookings_for,
    contracts_for,
    managed_carriers,
    posts_managed_by,
)
from chuangye.incubators.models import BoardPost, Booking, Carrier, Space
from chuangye.registry.selectors import active_key_groups

APPLY_FIELDS = ("space_kind", "project_name", "project_summary", "planned_jobs", "months_requested")


def _status(error: DomainError) -> int:
    return error.status if 400 <= error.status < 500 and error.status != 404 else 422


@public
def directory(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip()[:60] for k in ("q", "region", "kind", "level")}
    carriers = selectors.carrier_search(
        query=filters["q"], region=filters["region"], kind=filters["kind"], level=filters["level"]
    )
    return render(
        request,
        "incubators/directory.html",
        {
            "carriers": carriers[:200],
            "filters": filters,
            "kinds": Carrier.Kind.choices,
            "levels": Carrier.Level.choices,
        },
    )


@public
def carrier_page(request: HttpRequest, carrier_id: int) -> HttpResponse:
    carrier = access_public_carrier(carrier_id)
    today = timezone.localdate()
    return render(
        request,
        "incubators/carrier.html",
        {
            "carrier": carrier,
            "spaces": carrier.spaces.exclude(status=Space.Status.UNAVAILABLE),
            "equipment": carrier.equipment.filter(is_active=True, bookable=True),
            "reserve": selectors.reserve_of(carrier, today),
            "weights": [p for p in params.all_params(carrier.region_code, today) if ".score." in p.name],
            "queue_length": selectors.waiting_list(carrier).count(),
        },
    )


@roles(Role.CITIZEN)
@throttle("20/h")
def apply(request: HttpRequest, carrier_id: int) -> HttpResponse:
    carrier = access_public_carrier(carrier_id)
    today = timezone.localdate()
    person = getattr(request.user, "person", None)
    kinds = [
        (code, label)
        for code, label in Space.Kind.choices
        if carrier.spaces.filter(kind=code).exclude(status=Space.Status.UNAVAILABLE).exists()
    ]
    preview = None
    if person is not None:
        groups, score, lines = actions.score_for(person, region_code=carrier.region_code, on=today, planned_jobs=0)
        preview = {"groups": groups, "score": score, "lines": lines}
    context: dict[str, Any] = {
        "carrier": carrier,
        "kinds": kinds,
        "preview": preview,
        "has_person": person is not None,
        "weights": [p for p in params.all_params(carrier.region_code, today) if ".score." in p.name],
        "max_months": params.value(carrier.region_code, today, "incubators.max_incubation_months"),
        "reserve": selectors.reserve_of(carrier, today),
        "data": {"space_kind": kinds[0][0] if kinds else "", "months_requested": "12", "planned_jobs": "0"},
        "form_key": secrets.token_hex(8),
    }
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in APPLY_FIELDS}
        context.update(data=data, form_key=request.POST.get("form_key", ""))
        try:
            case = actions.application_submit(
                applicant=request.user,
                carrier=carrier,
                data=data,
                idempotency_key=request.POST.get("form_key", "")[:80],
                request=request,
            )
        except DomainError as error:
            context["error"] = error
            return render(request, "incubators/apply.html", context, status=_status(error))
        return redirect("cases_me:detail", case_id=case.pk)
    return render(request, "incubators/apply.html", context)


@roles(Role.CITIZEN)
def mine(request: HttpRequest) -> HttpResponse:
    applications = applications_for(request.user).select_related("case", "carrier", "space")
    rows = [(a, types.get(a.case.case_type).states[a.case.state], selectors.rank_of(a)) for a in applications[:50]]
    person = getattr(request.user, "person", None)
    groups = sorted(active_key_groups(person, timezone.localdate())) if person else []
    return render(
        request,
        "incubators/mine.html",
        {
            "applications": rows,
            "contracts": contracts_for(request.user).select_related("carrier", "space")[:50],
            "bookings": bookings_for(request.user)
            .filter(booked_by_id=request.user.pk)
            .select_related("equipment__carrier")[:50],
            "key_groups": groups,
        },
    )


@roles(Role.CITIZEN)
def my_contract(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = access_contract(request.user, contract_id)
    context: dict[str, Any] = {
        "contract": contract,
        "surveys": contract.surveys.all(),
        "year": timezone.localdate().year,
    }
    if request.method == "POST":
        try:
            if request.POST.get("action") == "exit":
                actions.contract_end(
                    actor=request.user,
                    contract=contract,
                    outcome="exited",
                    reason=request.POST.get("reason", ""),
                    request=request,
                )
            else:
                actions.survey_submit(actor=request.user, contract=contract, data=request.POST, request=request)
        except DomainError as error:
            context["error"] = error
            return render(request, "incubators/my_contract.html", context, status=_status(error))
        return redirect("incubators:my_contract", contract_id=contract.pk)
    return render(request, "incubators/my_contract.html", context)


# Equipment booking -----------------------------------------------------------------------------------------------


@signed_in
def equipment_page(request: HttpRequest, equipment_id: int) -> HttpResponse:
    equipment = access_bookable_equipment(equipment_id)
    context: dict[str, Any] = {
        "equipment": equipment,
        "calendar": selectors.calendar_of(equipment),
        "data": {},
    }
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ("start", "end", "purpose")}
        context["data"] = data
        try:
            booking = actions.booking_create(actor=request.user, equipment=equipment, data=data, request=request)
        except DomainError as error:
            context["error"] = error
            return render(request, "incubators/equipment.html", context, status=_status(error))
        return redirect("incubators:booking", booking_id=booking.pk)
    return render(request, "incubators/equipment.html", context)


@signed_in
def booking_page(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = access_booking(request.user, booking_id)
    context: dict[str, Any] = {"booking": booking, "active": booking.status == Booking.Status.ACTIVE}
    if request.method == "POST":
        try:
            actions.booking_cancel(actor=request.user, booking=booking, request=request)
        except DomainError as error:
            context["error"] = error
            return render(request, "incubators/booking.html", context, status=_status(error))
        return redirect("incubators:booking", booking_id=booking.pk)
    return render(request, "incubators/booking.html", context)


# Board ----------------------------------------------------------------------------------------------------------


@public
def board(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "").strip()[:60] for k in ("q", "region", "kind")}
    found = selectors.board_search(query=filters["q"], region=filters["region"], kind=filters["kind"])
    closable: set[int] = set()
    if request.user.is_authenticated:
        closable = set(posts_managed_by(request.user).values_list("pk", flat=True))
    return render(request, "incubators/board.html", {"found": found, "filters": filters, "closable": closable})


@signed_in
def board_new(request: HttpRequest) -> HttpResponse:
    carriers = managed_carriers(request.user)
    context: dict[str, Any] = {"kinds": BoardPost.Kind.choices, "carriers": carriers, "data": {"kind": "project"}}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                post = posts_managed_by(request.user).filter(pk=int(request.POST.get("post") or 0)).first()
                if post is None:
                    raise DomainError("信息不存在或无权关闭", code="not_found", status=404)
                actions.board_post_close(actor=request.user, post=post, request=request)
            else:
                context["data"] = request.POST
                actions.board_post_create(actor=request.user, data=request.POST, request=request)
        except ValueError:
            context["error"] = DomainError("请选择要关闭的信息")
            return render(request, "incubators/board_new.html", context, status=422)
        except DomainError as error:
            context["error"] = error
            return render(request, "incubators/board_new.html", context, status=_status(error))
        return redirect("incubators:board")
    return render(request, "incubators/board_new.html", context)
