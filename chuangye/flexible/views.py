"""Pages of plan 8: the public gig market, posting and taking gigs, the engagement page (confirm, complete, rate,
one-click complaint), the worker profile, registration, rights and subsidy forms, and the staff and partner desks."""

import datetime as dt
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from chuangye.accounts.access import public, region_filter, roles, signed_in
from chuangye.accounts.models import Organisation, Role
from chuangye.cases.access import access_case_by_id, cases_for
from chuangye.cases.actions import case_transition
from chuangye.core.errors import DomainError
from chuangye.core.files import attachments_of
from chuangye.core.regions import in_scope
from chuangye.flexible import actions, geo
from chuangye.flexible.access import (
    access_engagement_by_id,
    access_gig_by_id,
    batches_for,
    claims_for,
    engagements_for,
    is_employer,
    is_legal_aid,
    profiles_for,
    reports_for,
    staff_gigs,
    zones_for,
)
from chuangye.flexible.models import (
    Block,
    Certificate,
    EmploymentRegistration,
    Engagement,
    Gig,
    HardToPlace,
    Rating,
    Report,
    RightsRequest,
    ServiceZone,
    SubsidyEnrolment,
    WorkerProfile,
)
from chuangye.flexible.selectors import hard_to_place_priority, market_statistics, match_workers, search_gigs
from chuangye.flexible.taxonomy import JOB_TYPE_CHOICES, JOB_TYPES

STAFF = (Role.OFFICER, Role.SUPERVISOR)
GIG_FIELDS = (
    "job_type", "title", "content", "address", "latitude", "longitude", "region_code", "work_date", "start_time",
    "end_time", "pay", "pay_unit", "settlement", "headcount", "valid_until",
)  # fmt: skip
# Where the search starts when the visitor has not said: the centre of 成都市 (the demo city).
DEFAULT_POINT = (30.657, 104.066)


def _fail(request: HttpRequest, error: DomainError, to: str, **kwargs: Any) -> HttpResponseRedirect:
    messages.error(request, error.message)
    return HttpResponseRedirect(reverse(to, kwargs=kwargs or None))


# --- public market -------------------------------------------------------------------------------------------------


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


# --- citizen pages -------------------------------------------------------------------------------------------------


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


REGISTRATION_FIELDS = ("basis", "since", "form", "employer_name", "commitment", "name", "id_number")


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


# --- staff desks ---------------------------------------------------------------------------------------------------


@roles(*STAFF)
def workbench(request: HttpRequest) -> HttpResponse:
    """The market desk: individual postings to review, the region's choice on priority, open reports."""
    user: Any = request.user
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op in ("approve", "reject"):
                gig = _posted(staff_gigs(user), request, "gig")
                actions.gig_review(
                    actor=user, gig=gig, approve=op == "approve", note=request.POST.get("note", ""), request=request
                )
                messages.success(request, "已审核")
            elif op == "setting":
                actions.market_setting_save(
                    actor=user, hard_to_place_priority=bool(request.POST.get("priority")), request=request
                )
                messages.success(request, "设置已保存")
            else:
                raise DomainError("未知操作")
        except DomainError as error:
            return _fail(request, error, "flexible:workbench")
        return redirect("flexible:workbench")
    gigs = staff_gigs(user)
    context = {
        "pending": gigs.filter(status=Gig.Status.PENDING).order_by("created_at"),
        "recent": gigs.exclude(status=Gig.Status.PENDING)[:20],
        "priority": hard_to_place_priority(user.region_code),
        "open_reports": reports_for(user).filter(status=Report.Status.OPEN).count(),
    }
    return render(request, "flexible/workbench.html", context)


def _pk(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise Http404("记录不存在或无权访问") from None


def _posted(rows: QuerySet[Any], request: HttpRequest, name: str) -> Any:
    """The row of ``rows`` (already scoped to the user) that the form's ``name`` field names, or 404."""
    row = rows.filter(pk=_pk(request.POST.get(name))).first()
    if row is None:
        raise Http404("记录不存在或无权访问")
    return row


@roles(*STAFF)
def workers(request: HttpRequest) -> HttpResponse:
    from chuangye.flexible.selectors import hard_to_place_workers

    scope = region_filter(request.user)
    rows = hard_to_place_workers(scope) if scope is not None else []
    return render(request, "flexible/workers.html", {"workers": rows, "total": profiles_for(request.user).count()})


@roles(*STAFF)
def reports(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op in ("block", "dismiss"):
                report = _posted(reports_for(user), request, "report")
                actions.report_handle(
                    actor=user, report=report, block=op == "block", note=request.POST.get("note", ""), request=request
                )
            elif op == "lift":
                block = _posted(Block.objects.filter(region_filter(user)), request, "block")
                actions.block_lift(actor=user, block=block, request=request)
            else:
                raise DomainError("未知操作")
            messages.success(request, "已处理")
        except DomainError as error:
            return _fail(request, error, "flexible:reports")
        return redirect("flexible:reports")
    context = {
        "reports": reports_for(user).select_related("reporter", "target", "gig")[:100],
        "blocks": Block.objects.filter(region_filter(user), lifted_at__isnull=True).select_related("user"),
    }
    return render(request, "flexible/reports.html", context)


ZONE_FIELDS = (
    "name", "region_code", "office", "address", "latitude", "longitude", "opening_hours", "hotline",
    "complaint_channel", "is_active",
)  # fmt: skip


@roles(*STAFF)
def zones_manage(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = zones_for(user)
    if request.method == "POST":
        data = {key: request.POST.get(key, "") for key in ZONE_FIELDS}
        zone = None
        if request.POST.get("zone"):
            zone = _posted(rows, request, "zone")
        try:
            actions.zone_save(actor=user, data=data, zone=zone, request=request)
        except DomainError as error:
            return _fail(request, error, "flexible:zones_manage")
        messages.success(request, "专区信息已保存")
        return redirect("flexible:zones_manage")
    return render(request, "flexible/zones_manage.html", {"zones": rows, "region": user.region_code})


@roles(*STAFF)
def rights_desk(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        case = access_case_by_id(user, request.POST.get("case", ""))
        if case.case_type != "flexible.rights":
            raise Http404("记录不存在或无权访问")
        try:
            actions.rights_refer(
                actor=user, case=case, organisation_id=request.POST.get("organisation", ""), request=request
            )
        except DomainError as error:
            return _fail(request, error, "flexible:rights_desk")
        messages.success(request, "已转介法律援助机构")
        return redirect("flexible:rights_desk")
    rows = (
        RightsRequest.objects.filter(case__in=cases_for(user).filter(case_type="flexible.rights"))
        .select_related("case", "legal_aid", "gig")
        .order_by("case__due_at")
    )
    orgs = Organisation.objects.filter(kind=Organisation.Kind.LEGAL_AID, is_active=True)
    return render(request, "flexible/rights_desk.html", {"rows": rows, "orgs": orgs})


@roles(*STAFF)
def counter(request: HttpRequest) -> HttpResponse:
    """Window registration: the officer records the person's declaration; decided the same day."""
    context: dict[str, Any] = {
        "kinds": EmploymentRegistration.Kind.choices,
        "bases": EmploymentRegistration.Basis.choices,
        "forms": EmploymentRegistration.Form.choices,
        "data": {"kind": "employment", "basis": "residence"},
    }
    if request.method == "POST":
        data = {key: request.POST.get(key, "") for key in ("kind", *REGISTRATION_FIELDS)}
        context["data"] = {k: v for k, v in data.items() if k != "id_number"}
        try:
            case = actions.registration_counter(actor=request.user, kind=data["kind"], data=data, request=request)
        except DomainError as error:
            context["error"] = error.message
            return render(request, "flexible/counter.html", context, status=422)
        messages.success(request, f"已受理，办件编号 {case.number}，请当日办结")
        return redirect("workbench:case", case_id=case.pk)
    return render(request, "flexible/counter.html", context)


@roles(*STAFF)
def subsidy_desk(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op in ("approve", "reject"):
                claim = _posted(claims_for(user), request, "claim")
                actions.claim_decide(
                    actor=user, claim=claim, approve=op == "approve", note=request.POST.get("note", ""), request=request
                )
            elif op == "batch":
                batch = actions.batch_create(actor=user, request=request)
                messages.info(request, f"已生成拨付批次 {batch.number}，合计 {batch.total} 元")
            elif op == "pay":
                to_pay = _posted(batches_for(user), request, "batch")
                actions.batch_pay(actor=user, batch=to_pay, request=request)
            else:
                raise DomainError("未知操作")
            messages.success(request, "已处理")
        except DomainError as error:
            return _fail(request, error, "flexible:subsidy_desk")
        return redirect("flexible:subsidy_desk")
    claims = list(claims_for(user).select_related("enrolment__person", "batch")[:200])
    for claim in claims:
        claim.proofs = list(attachments_of("si_claim", claim.pk))  # type: ignore[attr-defined]
    context = {"claims": claims, "batches": batches_for(user)[:50], "today": timezone.localdate()}
    return render(request, "flexible/subsidy_desk.html", context)


# --- legal aid -----------------------------------------------------------------------------------------------------


@roles(Role.PARTNER)
def legal_aid_desk(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST" and is_legal_aid(user):
        case = access_case_by_id(user, request.POST.get("case", ""))
        try:
            case_transition(
                case=case, action="aid_resolve", actor=user, comment=request.POST.get("outcome", ""), request=request
            )
        except DomainError as error:
            return _fail(request, error, "flexible:legal_aid")
        messages.success(request, "办理结果已登记")
        return redirect("flexible:legal_aid")
    rows = (
        RightsRequest.objects.filter(legal_aid=user.organisation).select_related("case")
        if is_legal_aid(user)
        else RightsRequest.objects.none()
    )
    return render(request, "flexible/legal_aid.html", {"allowed": is_legal_aid(user), "rows": rows})
