"""The staff desks (workbench, workers, reports, zones, rights, counter, subsidy) and the legal-aid partner desk."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from chuangye.accounts.access import region_filter, roles
from chuangye.accounts.models import Organisation, Role
from chuangye.cases.access import access_case_by_id, cases_for
from chuangye.cases.actions import case_transition
from chuangye.core.errors import DomainError
from chuangye.core.files import attachments_of
from chuangye.flexible import actions
from chuangye.flexible.access import (
    batches_for,
    claims_for,
    is_legal_aid,
    profiles_for,
    reports_for,
    staff_gigs,
    zones_for,
)
from chuangye.flexible.models import Block, EmploymentRegistration, Gig, Report, RightsRequest
from chuangye.flexible.selectors import hard_to_place_priority
from chuangye.flexible.views.common import REGISTRATION_FIELDS, STAFF, _fail


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
