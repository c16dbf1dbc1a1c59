"""The public gig market, posting a gig, the engagement page and the employer desk."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chuangye.accounts.access import public, region_filter, roles, signed_in
from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.core.regions import in_scope
from chuangye.flexible import actions, geo
from chuangye.flexible.access import access_engagement_by_id, access_gig_by_id, is_employer
from chuangye.flexible.models import Engagement, Gig, Rating, Report, RightsRequest, ServiceZone, WorkerProfile
from chuangye.flexible.selectors import hard_to_place_priority, market_statistics, match_workers, search_gigs
from chuangye.flexible.taxonomy import JOB_TYPE_CHOICES, JOB_TYPES
from chuangye.flexible.views.common import DEFAULT_POINT, GIG_FIELDS, _fail


@public
def market(request: HttpRequest) -> HttpResponse:
    """Search open gigs by place, radius, skill and date. Free to all; a signed-in worker's profile sets the start."""
    profile = WorkerProfile.objects.filter(user=request.user).first() if request.user.is_authenticated else None
    query = request.GET
    context: dict[str, Any] = {"job_types": JOB_TYPE_CHOICES, "profile": profile, "searched": bool(query)}
    lat = query.get("latitude") or (profile.latitude if profile else DEFAULT_POINT[0])
    lng = query.get("longitude") or (profile.longitude if profile else DEFAULT_POINT[1])
    context["form"] = {
        "latitude": lat,
        "longitude": lng,
        "radius": query.get("radius") or (profile.radius_km if profile else 5),
        "job_type": query.get("job_type", ""),
        "date": query.get("date", ""),
    }
    try:
        latitude, longitude = geo.parse_point(lat, lng)
        radius = geo.parse_radius(context["form"]["radius"])
        job_type = query.get("job_type", "")
        if job_type and job_type not in JOB_TYPES:
            raise DomainError("「工种」请从工种分类中选择", code="invalid_field")
        day = None
        if query.get("date"):
            try:
                day = dt.date.fromisoformat(query["date"])
            except ValueError:
                raise DomainError("「日期」应为日期，格式 YYYY-MM-DD", code="invalid_field") from None
        context["hits"] = search_gigs(
            latitude=latitude,
            longitude=longitude,
            radius_km=radius,
            job_types=[job_type] if job_type else None,
            day=day,
        )
    except DomainError as error:
        context["error"], context["hits"] = error.message, []
        return render(request, "flexible/market.html", context, status=422)
    return render(request, "flexible/market.html", context)


@public
def gig_detail(request: HttpRequest, gig_id: int) -> HttpResponse:
    gig = access_gig_by_id(request.user, gig_id)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        op = request.POST.get("op", "")
        try:
            if op == "take":
                engagement = actions.gig_take(actor=request.user, gig=gig, request=request)
                messages.success(request, "接单成功，请等待雇主确认")
                return redirect("flexible:engagement", engagement_id=engagement.pk)
            if op == "close":
                actions.gig_close(actor=request.user, gig=gig, request=request)
                messages.success(request, "岗位已关闭")
            elif op == "report":
                actions.report_create(
                    actor=request.user,
                    gig=gig,
                    reason=request.POST.get("reason"),
                    detail=request.POST.get("detail"),
                    request=request,
                )
                messages.success(request, "举报已提交，工作人员将核实处理")
            else:
                raise DomainError("未知操作")
        except DomainError as error:
            return _fail(request, error, "flexible:gig", gig_id=gig.pk)
        return redirect("flexible:gig", gig_id=gig.pk)
    user: Any = request.user
    is_poster = user.is_authenticated and gig.poster_id == user.pk
    is_staff = region_filter(user) is not None and in_scope(user.region_code, gig.region_code)
    context: dict[str, Any] = {
        "gig": gig,
        "is_poster": is_poster,
        "is_staff": is_staff,
        "reasons": Report.Reason.choices,
        "can_take": user.is_authenticated and user.role == Role.CITIZEN and not is_poster,
    }
    if is_poster or is_staff:
        context["engagements"] = gig.engagements.select_related("worker").order_by("taken_at")
        context["matches"] = match_workers(gig)
        context["priority"] = hard_to_place_priority(gig.region_code)
    if user.is_authenticated:
        context["mine"] = Engagement.objects.filter(gig=gig, worker=user).exclude(status="cancelled").first()
    return render(request, "flexible/gig_detail.html", context)


@public
def zones(request: HttpRequest) -> HttpResponse:
    rows = ServiceZone.objects.filter(is_active=True)
    return render(request, "flexible/zones.html", {"zones": rows})


@public
def statistics(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "")[:6]
    if region and not region.isdigit():
        region = ""
    return render(request, "flexible/statistics.html", {"stats": market_statistics(region), "region": region})


# --- posting and engagements ---------------------------------------------------------------------------------------


@roles(Role.CITIZEN, Role.PARTNER)
def gig_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    allowed = is_employer(user) or (user.role == Role.CITIZEN and getattr(user, "person", None) is not None)
    context: dict[str, Any] = {
        "allowed": allowed,
        "individual": user.role == Role.CITIZEN,
        "job_types": JOB_TYPE_CHOICES,
        "pay_units": Gig.PayUnit.choices,
        "settlements": Gig.Settlement.choices,
        "data": {"latitude": DEFAULT_POINT[0], "longitude": DEFAULT_POINT[1], "headcount": 1},
    }
    if request.method == "POST" and allowed:
        data = {key: request.POST.get(key, "") for key in GIG_FIELDS}
        context["data"] = data
        try:
            gig = actions.gig_post(actor=user, data=data, request=request)
        except DomainError as error:
            context["error"] = error.message
            return render(request, "flexible/gig_new.html", context, status=422)
        if gig.status == Gig.Status.PENDING:
            messages.success(request, "已提交，个人发布的岗位经工作人员审核后公开")
        else:
            messages.success(request, "岗位已发布")
        return redirect("flexible:gig", gig_id=gig.pk)
    return render(request, "flexible/gig_new.html", context)


@signed_in
def engagement_detail(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = access_engagement_by_id(request.user, engagement_id)
    user: Any = request.user
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "confirm":
                actions.engagement_confirm(actor=user, engagement=engagement, request=request)
                messages.success(request, "已确认用工")
            elif op == "cancel":
                actions.engagement_cancel(actor=user, engagement=engagement, request=request)
                messages.success(request, "订单已取消")
            elif op == "complete":
                actions.engagement_complete(actor=user, engagement=engagement, request=request)
                messages.success(request, "已确认完工")
            elif op == "rate":
                actions.engagement_rate(
                    actor=user,
                    engagement=engagement,
                    score=request.POST.get("score"),
                    comment=request.POST.get("comment", ""),
                    request=request,
                )
                messages.success(request, "评价已提交")
            elif op == "complain":
                case = actions.rights_submit(
                    actor=user,
                    kind=request.POST.get("kind") or RightsRequest.Kind.WAGES,
                    description=request.POST.get("description", ""),
                    amount=request.POST.get("amount") or None,
                    engagement=engagement,
                    request=request,
                )
                messages.success(request, f"维权诉求已提交（绿色通道），办件编号 {case.number}")
                return redirect("cases_me:detail", case_id=case.pk)
            elif op == "report":
                actions.report_create(
                    actor=user,
                    gig=engagement.gig,
                    target=engagement.worker,
                    reason=request.POST.get("reason"),
                    detail=request.POST.get("detail"),
                    request=request,
                )
                messages.success(request, "举报已提交，工作人员将核实处理")
            else:
                raise DomainError("未知操作")
        except DomainError as error:
            return _fail(request, error, "flexible:engagement", engagement_id=engagement.pk)
        return redirect("flexible:engagement", engagement_id=engagement.pk)
    side = (
        "worker" if user.pk == engagement.worker_id else "employer" if user.pk == engagement.gig.poster_id else "staff"
    )
    context = {
        "engagement": engagement,
        "gig": engagement.gig,
        "side": side,
        "ratings": engagement.ratings.select_related("rater"),
        "rated": Rating.objects.filter(engagement=engagement, rater=user).exists(),
        "my_done": engagement.worker_done_at if side == "worker" else engagement.employer_done_at,
        "complaints": RightsRequest.objects.filter(engagement=engagement).select_related("case"),
        "kinds": RightsRequest.Kind.choices,
        "reasons": Report.Reason.choices,
    }
    return render(request, "flexible/engagement.html", context)


@roles(Role.PARTNER)
def employer_desk(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    gigs = Gig.objects.filter(poster=user).prefetch_related("engagements") if is_employer(user) else Gig.objects.none()
    return render(request, "flexible/employer.html", {"allowed": is_employer(user), "gigs": gigs})
