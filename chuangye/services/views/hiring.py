"""Hiring pages: openings, seeker profiles, applications and matchmaking fairs."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from chuangye.accounts.access import roles, signed_in
from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.registry.access import businesses_for
from chuangye.registry.models import Business, Person
from chuangye.services import access, actions, matching, search
from chuangye.services.models import FairSignup, JobApplication, Opening, SeekerProfile
from chuangye.services.views.common import _attempt, _is_staff, _me, _render


@signed_in
def jobs(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[: search.MAX_QUERY]
    openings = Opening.objects.filter(state=Opening.State.OPEN).select_related("business")
    if query:
        tokens = search.query_tokens(query)
        openings = openings.filter(search.token_match(tokens)) if tokens else openings.none()
    profile = SeekerProfile.objects.filter(user=_me(request)).first()
    context: dict[str, Any] = {"query": query, "profile": profile}
    if profile is not None:
        context["matches"] = matching.rank_openings(profile, openings[:500])
    else:
        context["openings"] = openings[:100]
    context["mine"] = (
        Opening.objects.filter(business__founders__person__user=_me(request)).distinct()
        if _me(request).role == Role.CITIZEN
        else Opening.objects.none()
    )
    return _render(request, "services/jobs.html", context)


@roles(Role.CITIZEN)
def opening_new(request: HttpRequest) -> HttpResponse:
    businesses = businesses_for(_me(request)).filter(status=Business.Status.OPERATING)
    context: dict[str, Any] = {"businesses": businesses, "data": {}}
    if request.method == "POST":
        context["data"] = request.POST

        def page(error: str = "", status: int = 200) -> HttpResponse:
            return _render(request, "services/opening_new.html", {**context, "error": error}, status=status)

        business = businesses.filter(pk=actions.pk_of(request.POST.get("business"))).first()
        if business is None:
            return page("「经营主体」请选择本人创办的存续经营主体", 422)
        result = _attempt(
            request,
            page,
            lambda: actions.opening_post(actor=_me(request), business=business, data=request.POST, request=request),
        )
        if isinstance(result, HttpResponse):
            return result
        messages.success(request, "岗位已发布")
        return redirect("services:opening", services_opening_id=result.pk)
    return _render(request, "services/opening_new.html", context)


@roles(Role.CITIZEN)
def seeker_profile(request: HttpRequest) -> HttpResponse:
    profile = SeekerProfile.objects.filter(user=_me(request)).first()
    person = Person.objects.filter(user=_me(request)).first()
    data: Any = (
        request.POST
        if request.method == "POST"
        else {
            "desired_role": profile.desired_role if profile else "",
            "skills": profile.skills if profile else "",
            "expected_pay": profile.expected_pay if profile else "",
            "region_code": profile.region_code if profile else (person.region_code if person else ""),
        }
    )
    context = {"profile": profile, "data": data}
    if request.method == "POST":
        try:
            actions.seeker_profile_save(actor=_me(request), data=request.POST, request=request)
        except DomainError as error:
            return _render(
                request, "services/seeker_profile.html", {**context, "error": error.message}, status=error.status
            )
        messages.success(request, "求职信息已保存")
        return redirect("services:jobs")
    return _render(request, "services/seeker_profile.html", context)


@signed_in
def opening_page(request: HttpRequest, services_opening_id: int) -> HttpResponse:
    item = access.access_opening_by_id(_me(request), services_opening_id)
    user = _me(request)
    manages = access.manages_opening(user, item)
    profile = SeekerProfile.objects.filter(user=user).first()
    context: dict[str, Any] = {
        "opening": item,
        "manages": manages,
        "applications": item.applications.select_related("seeker__user", "fair").order_by("-score") if manages else [],
        "mine": JobApplication.objects.filter(opening=item, seeker__user=user).first(),
        "match": matching.score_opening(profile, item) if profile else None,
        "can_apply": user.role == Role.CITIZEN and not manages and item.state == Opening.State.OPEN,
        "outcomes": [(s, label) for s, label in JobApplication.State.choices if s != JobApplication.State.APPLIED],
    }

    def page(error: str = "", status: int = 200) -> HttpResponse:
        return _render(request, "services/opening.html", {**context, "error": error}, status=status)

    if request.method == "POST":
        action, post = request.POST.get("action", ""), request.POST
        runs: dict[str, Callable[[], Any]] = {
            "apply": lambda: actions.job_apply(actor=user, opening=item, request=request),
            "outcome": lambda: actions.application_update(
                actor=user,
                application_id=post.get("application"),
                state=post.get("state", ""),
                note=post.get("note"),
                request=request,
            ),
            "close": lambda: actions.opening_close(actor=user, opening=item, request=request),
        }
        if action not in runs:
            return page("请选择要执行的操作", 422)
        result = _attempt(request, page, runs[action])
        if isinstance(result, HttpResponse):
            return result
        return redirect("services:opening", services_opening_id=item.pk)
    return page()


@signed_in
def fairs(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"fairs": access.fairs_for(_me(request))[:100], "is_staff": _is_staff(_me(request))}
    if request.method == "POST":
        try:
            if not _is_staff(_me(request)):
                raise actions.forbidden("只有经办人员可以举办对接洽谈会")
            fair = actions.fair_create(actor=_me(request), data=request.POST, request=request)
        except DomainError as error:
            context["data"] = request.POST
            return _render(request, "services/fairs.html", {**context, "error": error.message}, status=error.status)
        return redirect("services:fair", services_fair_id=fair.pk)
    return _render(request, "services/fairs.html", context)


@signed_in
def fair_page(request: HttpRequest, services_fair_id: int) -> HttpResponse:
    item = access.access_fair_by_id(_me(request), services_fair_id)
    user = _me(request)
    manages = access.manages_fair(user, item)
    signups = item.signups.select_related("user", "business")
    employers = [s for s in signups if s.side == FairSignup.Side.EMPLOYER]
    context: dict[str, Any] = {
        "fair": item,
        "manages": manages,
        "employers": employers if manages else [],
        "seekers": [s for s in signups if s.side == FairSignup.Side.SEEKER] if manages else [],
        "openings": Opening.objects.filter(business_id__in=[s.business_id for s in employers], state=Opening.State.OPEN)
        if manages
        else [],
        "outcomes": item.outcomes.select_related("opening__business", "seeker__user") if manages else [],
        "my_signups": [s.get_side_display() for s in signups if s.user_id == user.pk],
        "my_businesses": businesses_for(user).filter(status=Business.Status.OPERATING)
        if user.role == Role.CITIZEN
        else [],
        "counts": {"employer": len(employers), "seeker": len(signups) - len(employers)},
        "states": [(s, label) for s, label in JobApplication.State.choices if s != JobApplication.State.APPLIED],
    }

    def page(error: str = "", status: int = 200) -> HttpResponse:
        return _render(request, "services/fair.html", {**context, "error": error}, status=status)

    if request.method == "POST":
        action, post = request.POST.get("action", ""), request.POST
        runs: dict[str, Callable[[], Any]] = {
            "signup": lambda: actions.fair_signup(
                actor=user, fair=item, side=post.get("side", ""), business_id=post.get("business"), request=request
            ),
            "outcome": lambda: actions.fair_record_outcome(
                actor=user,
                fair=item,
                opening_id=post.get("opening"),
                seeker_user_id=post.get("seeker"),
                state=post.get("state", ""),
                request=request,
            ),
        }
        if action not in runs:
            return page("请选择要执行的操作", 422)
        result = _attempt(request, page, runs[action])
        if isinstance(result, HttpResponse):
            return result
        return redirect("services:fair", services_fair_id=item.pk)
    return page()
