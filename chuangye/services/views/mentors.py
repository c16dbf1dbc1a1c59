"""Mentor pages: matching, mentoring, one pairing, the mentor register and a mentor's profile."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from chuangye.accounts.access import roles, signed_in
from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.policies.facts import KEY_GROUPS
from chuangye.registry.models import Industry, Person
from chuangye.services import access, actions, matching
from chuangye.services.models import Assignment, Mentor, ServiceLog
from chuangye.services.views.common import _attempt, _is_staff, _me, _render


@roles(Role.CITIZEN)
def mentor_match(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user=_me(request)).first()
    context: dict[str, Any] = {"person": person}
    if person is not None:
        founder = matching.founder_profile(person, timezone.localdate())
        context |= {
            "founder": founder,
            "stage": matching.STAGES[founder.stage],
            "industry": matching.INDUSTRIES.get(founder.industry, ""),
            "groups": [KEY_GROUPS.get(g, g) for g in sorted(founder.groups)],
            "matches": matching.rank_mentors(founder),
        }

    def page(error: str = "", status: int = 200) -> HttpResponse:
        return _render(request, "services/mentor_match.html", {**context, "error": error}, status=status)

    if request.method == "POST":
        if person is None:
            return page("您的账号尚未关联个人信息，请先完善个人资料", 422)
        result = _attempt(
            request,
            page,
            lambda: actions.mentor_assign(
                actor=_me(request), person=person, mentor_id=request.POST.get("mentor"), request=request
            ),
        )
        if isinstance(result, HttpResponse):
            return result
        messages.success(request, f"已与导师{result.mentor.name}建立对接，导师将在7日内主动联系您")
        return redirect("services:assignment", services_assignment_id=result.pk)
    return page()


@signed_in
def mentoring(request: HttpRequest) -> HttpResponse:
    rows = access.assignments_for(_me(request)).select_related("mentor", "person")
    if request.GET.get("key") == "1":
        rows = rows.filter(key_project=True)
    today = timezone.localdate()
    return _render(
        request,
        "services/mentoring.html",
        {"assignments": rows[:200], "today": today, "soon": today + dt.timedelta(days=actions.REMIND_AHEAD_DAYS)},
    )


@signed_in
def assignment_page(request: HttpRequest, services_assignment_id: int) -> HttpResponse:
    item = access.access_assignment_by_id(_me(request), services_assignment_id)
    user = _me(request)
    active = item.state == Assignment.State.ACTIVE
    context: dict[str, Any] = {
        "assignment": item,
        "logs": item.logs.select_related("author"),
        "visit_types": ServiceLog.VisitType.choices,
        "today": timezone.localdate(),
        "is_mentor": item.mentor.user_id == user.pk,
        "is_founder": item.person.user_id == user.pk,
        "is_staff": _is_staff(user),
        "active": active,
    }

    def page(error: str = "", status: int = 200) -> HttpResponse:
        return _render(request, "services/assignment.html", {**context, "error": error}, status=status)

    if request.method == "POST":
        action, post = request.POST.get("action", ""), request.POST
        runs: dict[str, Callable[[], Any]] = {
            "log": lambda: actions.service_log_add(
                actor=user,
                assignment=item,
                visit_type=post.get("visit_type", ""),
                visited_on=post.get("visited_on"),
                notes=post.get("notes"),
                next_step=post.get("next_step"),
                next_visit_on=post.get("next_visit_on"),
                request=request,
            ),
            "rate": lambda: actions.assignment_rate(
                actor=user, assignment=item, rating=post.get("rating"), comment=post.get("comment"), request=request
            ),
            "key_project": lambda: actions.assignment_key_project(
                actor=user, assignment=item, key_project=post.get("key_project") == "1", request=request
            ),
            "end": lambda: actions.assignment_end(actor=user, assignment=item, request=request),
        }
        if action not in runs:
            return page("请选择要执行的操作", 422)
        result = _attempt(request, page, runs[action])
        if isinstance(result, HttpResponse):
            return result
        return redirect("services:assignment", services_assignment_id=item.pk)
    return page()


def _mentor_form_context() -> dict[str, Any]:
    return {"industries": Industry.choices, "stages": matching.STAGES.items(), "groups": KEY_GROUPS.items()}


@roles(Role.OFFICER, Role.SUPERVISOR)
def mentor_registry(request: HttpRequest) -> HttpResponse:
    mentors = matching.mentors_with_load().filter(pk__in=access.mentors_for(_me(request)).values("pk"))
    context: dict[str, Any] = {**_mentor_form_context(), "mentors": mentors, "data": {}}
    if request.method == "POST":
        context["data"] = request.POST
        try:
            actions.mentor_register(
                actor=_me(request),
                username=request.POST.get("username"),
                data=request.POST,
                industries=request.POST.getlist("industries"),
                stages=request.POST.getlist("stages"),
                groups=request.POST.getlist("groups"),
                request=request,
            )
        except DomainError as error:
            return _render(request, "services/mentors.html", {**context, "error": error.message}, status=error.status)
        messages.success(request, "已登记导师")
        return redirect("services:mentors")
    return _render(request, "services/mentors.html", context)


@roles(Role.MENTOR)
def mentor_profile(request: HttpRequest) -> HttpResponse:
    mentor = Mentor.objects.filter(user=_me(request)).first()
    context: dict[str, Any] = {**_mentor_form_context(), "mentor": mentor}
    if request.method == "POST" and mentor is not None:
        try:
            actions.mentor_update(
                actor=_me(request),
                mentor=mentor,
                data=request.POST,
                industries=request.POST.getlist("industries"),
                stages=request.POST.getlist("stages"),
                groups=request.POST.getlist("groups"),
                request=request,
            )
        except DomainError as error:
            return _render(
                request, "services/mentor_profile.html", {**context, "error": error.message}, status=error.status
            )
        messages.success(request, "已保存")
        return redirect("services:mentor_profile")
    return _render(request, "services/mentor_profile.html", context)
