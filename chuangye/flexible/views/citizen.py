"""A worker's own pages: the overview, the profile, and the registration, rights and subsidy forms."""

import secrets
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chuangye.accounts.access import roles
from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.flexible import actions
from chuangye.flexible.access import claims_for, engagements_for
from chuangye.flexible.models import (
    Certificate,
    EmploymentRegistration,
    Gig,
    HardToPlace,
    RightsRequest,
    SubsidyEnrolment,
    WorkerProfile,
)
from chuangye.flexible.taxonomy import JOB_TYPE_CHOICES
from chuangye.flexible.views.common import DEFAULT_POINT, REGISTRATION_FIELDS, _fail


@roles(Role.CITIZEN)
def me(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    person = getattr(user, "person", None)
    context = {
        "person": person,
        "profile": WorkerProfile.objects.filter(user=user).first(),
        "gigs": Gig.objects.filter(poster=user),
        "engagements": engagements_for(user).filter(worker=user),
        "certificate": Certificate.objects.filter(person=person).first() if person else None,
        "registrations": EmploymentRegistration.objects.filter(person=person).select_related("case") if person else [],
        "rights": RightsRequest.objects.filter(case__applicant_user=user).select_related("case"),
        "blocked": actions.is_blocked(user),
    }
    return render(request, "flexible/me.html", context)


@roles(Role.CITIZEN)
def profile_edit(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    profile = WorkerProfile.objects.filter(user=user).first()
    context: dict[str, Any] = {
        "job_types": JOB_TYPE_CHOICES,
        "tiers": HardToPlace.choices,
        "weekdays": [(1, "一"), (2, "二"), (3, "三"), (4, "四"), (5, "五"), (6, "六"), (7, "日")],
        "profile": profile,
        "data": {
            "skills": profile.skills if profile else [],
            "weekdays": [str(d) for d in profile.available_weekdays] if profile else [],
            "hard_to_place": profile.hard_to_place if profile else [],
            "address": profile.address if profile else "",
            "latitude": profile.latitude if profile else DEFAULT_POINT[0],
            "longitude": profile.longitude if profile else DEFAULT_POINT[1],
            "radius_km": profile.radius_km if profile else 10,
            "is_seeking": profile.is_seeking if profile else True,
        },
    }
    if request.method == "POST":
        data = {
            "skills": request.POST.getlist("skills"),
            "weekdays": request.POST.getlist("weekdays"),
            "hard_to_place": request.POST.getlist("hard_to_place"),
            "address": request.POST.get("address", ""),
            "latitude": request.POST.get("latitude", ""),
            "longitude": request.POST.get("longitude", ""),
            "radius_km": request.POST.get("radius_km", ""),
            "is_seeking": bool(request.POST.get("is_seeking")),
        }
        context["data"] = data
        try:
            actions.profile_save(actor=user, data=data, request=request)
        except DomainError as error:
            context["error"] = error.message
            return render(request, "flexible/profile.html", context, status=422)
        messages.success(request, "求职信息已保存")
        return redirect("flexible:me")
    return render(request, "flexible/profile.html", context)


@roles(Role.CITIZEN)
def registration_new(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "kinds": EmploymentRegistration.Kind.choices,
        "bases": EmploymentRegistration.Basis.choices,
        "forms": EmploymentRegistration.Form.choices,
        "person": getattr(request.user, "person", None),
        "data": {"kind": request.GET.get("kind", "employment"), "basis": "residence"},
    }
    if request.method == "POST":
        data = {key: request.POST.get(key, "") for key in ("kind", *REGISTRATION_FIELDS)}
        context["data"] = data
        try:
            case = actions.registration_submit(
                actor=request.user,
                kind=data["kind"],
                data=data,
                idempotency_key=request.POST.get("form_key", ""),
                request=request,
            )
        except DomainError as error:
            context["error"] = error.message
            return render(request, "flexible/registration.html", context, status=422)
        return redirect("cases_me:detail", case_id=case.pk)
    context["form_key"] = secrets.token_hex(8)
    return render(request, "flexible/registration.html", context)


@roles(Role.CITIZEN)
def rights_new(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"kinds": RightsRequest.Kind.choices, "data": {}}
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ("kind", "respondent_name", "description", "amount")}
        context["data"] = data
        try:
            case = actions.rights_submit(
                actor=request.user,
                kind=data["kind"],
                description=data["description"],
                amount=data["amount"] or None,
                respondent_name=data["respondent_name"],
                idempotency_key=request.POST.get("form_key", ""),
                request=request,
            )
        except DomainError as error:
            context["error"] = error.message
            return render(request, "flexible/rights_new.html", context, status=422)
        return redirect("cases_me:detail", case_id=case.pk)
    context["form_key"] = secrets.token_hex(8)
    return render(request, "flexible/rights_new.html", context)


@roles(Role.CITIZEN)
def subsidy(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    person = getattr(user, "person", None)
    enrolment = (
        SubsidyEnrolment.objects.filter(person=person).exclude(case__state__in=["refused", "withdrawn"]).first()
        if person
        else None
    )
    if request.method == "POST":
        try:
            if request.POST.get("op") == "enrol":
                case = actions.enrolment_submit(
                    actor=user,
                    declared_contribution=request.POST.get("declared_contribution"),
                    proof=request.FILES.get("proof"),
                    request=request,
                )
                messages.success(request, f"补贴资格申请已提交，办件编号 {case.number}")
            else:
                actions.claim_submit(
                    actor=user,
                    first_month=request.POST.get("first_month"),
                    last_month=request.POST.get("last_month"),
                    contribution=request.POST.get("contribution"),
                    proof=request.FILES.get("proof"),
                    request=request,
                )
                messages.success(request, "申领已提交，等待审核")
        except DomainError as error:
            return _fail(request, error, "flexible:subsidy")
        return redirect("flexible:subsidy")
    context = {
        "enrolment": enrolment,
        "claims": claims_for(user).prefetch_related("months"),
        "used": person.si_subsidy_months.count() if person else 0,
    }
    return render(request, "flexible/subsidy.html", context)
