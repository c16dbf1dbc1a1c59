"""Workbench pages for the interest subsidy and bulk repayments: a bank files its quarterly claim, downloads the
statement and uploads repayments; the bureau reviews claims, prepares a payment batch and has it approved."""

import datetime as dt
import secrets
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from chuangye.accounts.access import roles
from chuangye.accounts.models import STAFF_ROLES, Organisation, Role
from chuangye.core.errors import DomainError
from chuangye.loans.access import access_batch_by_id, access_claim_by_id, batches_for, claims_for, partner_kind
from chuangye.loans.excel import repayment_template, repayments_import, statement_workbook
from chuangye.loans.idempotency import run_idempotent
from chuangye.loans.models import SubsidyClaim
from chuangye.loans.subsidy import (
    subsidy_batch_create,
    subsidy_batch_pay,
    subsidy_claim_review,
    subsidy_claims_start,
)
from chuangye.registry.excel import XLSX_CONTENT_TYPE

WORKBENCH = (*STAFF_ROLES, Role.PARTNER)


def _previous_quarter(today: dt.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


@roles(*WORKBENCH)
def subsidy_home(request: HttpRequest) -> HttpResponse:
    year, quarter = _previous_quarter(timezone.localdate())
    context: dict[str, Any] = {
        "claims": claims_for(request.user).select_related("bank", "batch")[:200],
        "batches": batches_for(request.user)[:50],
        "partner_kind": partner_kind(request.user),
        "year": year,
        "quarter": quarter,
        "form_key": secrets.token_hex(8),
    }
    if request.method == "POST":
        try:
            _subsidy_act(request)
        except DomainError as error:
            context["error"] = error
            return render(request, "loans/subsidy.html", context, status=min(error.status, 422))
        return redirect("loans:subsidy")
    return render(request, "loans/subsidy.html", context)


def _subsidy_act(request: HttpRequest) -> None:
    user: Any = request.user
    if request.POST.get("action") == "file" and partner_kind(user) == Organisation.Kind.BANK:
        body = {"year": request.POST.get("year", ""), "quarter": request.POST.get("quarter", "")}
        if not (body["year"].isdigit() and body["quarter"].isdigit()):
            raise DomainError("请填写申报年度和季度", code="invalid")

        def act(key: str) -> tuple[int, dict[str, Any]]:
            # A background job with one part per region: a bank with many loans does not wait on the page.
            job = subsidy_claims_start(actor=user, year=int(body["year"]), quarter=int(body["quarter"]))
            return 202, {"job": job.pk, "parts": job.parts_total}

        _, result, _ = run_idempotent(
            request, operation="subsidy_claim", body=body, action=act, key=request.POST.get("form_key")
        )
        messages.success(
            request,
            f"贴息申报已提交，按 {result.get('parts', 0)} 个地区分别生成申报单；"
            "贷款较多时需几分钟，完成后显示在下方列表中",
        )
    elif request.POST.get("action") == "batch" and user.role in STAFF_ROLES:
        claims = claims_for(user).filter(pk__in=request.POST.getlist("claims"), state=SubsidyClaim.State.APPROVED)
        subsidy_batch_create(actor=user, region_code=user.region_code, claims=list(claims), request=request)
        messages.success(request, "拨付批次已生成，待主管审批")
    else:
        raise DomainError("没有这个操作", code="unknown_action")


@roles(*WORKBENCH)
def claim_page(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = access_claim_by_id(request.user, claim_id)
    context: dict[str, Any] = {"claim": claim, "lines": claim.lines.select_related("loan").order_by("loan__number")}
    if request.method == "POST":
        try:
            approve = request.POST.get("action") == "approve"
            subsidy_claim_review(
                actor=request.user, claim=claim, approve=approve, note=request.POST.get("note", ""), request=request
            )
        except DomainError as error:
            context["error"] = error
            return render(request, "loans/claim.html", context, status=min(error.status, 422))
        return redirect("loans:claim", claim_id=claim.pk)
    return render(request, "loans/claim.html", context)


@roles(*WORKBENCH)
def claim_statement(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = access_claim_by_id(request.user, claim_id)
    response = HttpResponse(statement_workbook(claim), content_type=XLSX_CONTENT_TYPE)
    name = f"subsidy-{claim.year}Q{claim.quarter}-{claim.region_code}-{claim.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@roles(*STAFF_ROLES)
def batch_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access_batch_by_id(request.user, batch_id)
    context: dict[str, Any] = {"batch": batch, "claims": batch.claims.select_related("bank")}
    if request.method == "POST":
        try:
            subsidy_batch_pay(actor=request.user, batch=batch, request=request)
        except DomainError as error:
            context["error"] = error
            return render(request, "loans/batch.html", context, status=min(error.status, 422))
        return redirect("loans:batch", batch_id=batch.pk)
    return render(request, "loans/batch.html", context)


@roles(Role.PARTNER)
def repayment_upload(request: HttpRequest) -> HttpResponse:
    """Banks upload a spreadsheet of repayments; other partners are told this page is for banks."""
    context: dict[str, Any] = {"is_bank": partner_kind(request.user) == Organisation.Kind.BANK}
    if request.GET.get("template") == "1":
        response = HttpResponse(repayment_template(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="repayments-template.xlsx"'
        return response
    if request.method == "POST" and context["is_bank"]:
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError("请选择要上传的文件", code="invalid")
            context["results"] = repayments_import(actor=request.user, upload=upload)
        except DomainError as error:
            context["error"] = error
            return render(request, "loans/repayment_upload.html", context, status=422)
    return render(request, "loans/repayment_upload.html", context)
