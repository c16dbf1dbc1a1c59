"""Workbench pages for the bureau, the banks and the guarantee institution: their queue and portfolio, an
application's partner tiers and disbursement, a loan's servicing, and the guarantee fund.

Money forms carry a one-time form key that goes through the same idempotency layer as the API, so a double click
or a resubmitted page moves money once.
"""

import secrets
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from chuangye.accounts.access import roles
from chuangye.accounts.models import STAFF_ROLES, Organisation, Role
from chuangye.cases import types
from chuangye.cases.actions import case_transition
from chuangye.cases.selectors import available_actions
from chuangye.core.errors import DomainError
from chuangye.loans import actions, defaults
from chuangye.loans.access import (
    access_application_by_id,
    access_loan_by_id,
    applications_for,
    funds_for,
    partner_kind,
)
from chuangye.loans.actions import BASES, FREQUENCIES_LABELS, LPR_TERMS
from chuangye.loans.case_types import OPEN_STATES
from chuangye.loans.fund import compensation_rate, fund_deposit, fund_movements, leverage, repayment_rate
from chuangye.loans.idempotency import run_idempotent
from chuangye.loans.models import CompensationClaim, Loan, Repayment
from chuangye.loans.schedule import METHODS
from chuangye.loans.selectors import loan_list, portfolio
from chuangye.loans.views_common import loan_context

WORKBENCH = (*STAFF_ROLES, Role.PARTNER)
TIER_STATE: dict[str, str] = {"bank": "bank_review", "guarantor": "guarantor_review"}


@roles(*WORKBENCH)
def home(request: HttpRequest) -> HttpResponse:
    """The queue at the user's tier, the portfolio by delinquency bucket, and the loans in scope."""
    today = timezone.localdate()
    kind = partner_kind(request.user)
    applications = applications_for(request.user).select_related("case", "person", "business", "bank")
    if kind:
        waiting = applications.filter(case__state=TIER_STATE[kind])
    else:
        waiting = applications.filter(case__state__in=OPEN_STATES)
    to_disburse = applications.filter(case__state="approved", loan__isnull=True) if kind == "bank" else []
    bucket = request.GET.get("bucket", "")
    loans = loan_list(user=request.user, on=today, bucket=bucket)[:200]
    return render(
        request,
        "loans/workbench_home.html",
        {
            "waiting": [
                (a, types.get(a.case.case_type).states[a.case.state]) for a in waiting.order_by("case__due_at")
            ],
            "to_disburse": to_disburse,
            "portfolio": portfolio(user=request.user, on=today),
            "loans": loans,
            "bucket": bucket,
            "partner_kind": kind,
        },
    )


def _money_form(request: HttpRequest, operation: str, body: dict[str, Any], act: Any) -> dict[str, Any]:
    """Run a money form through the idempotency layer with its form key; returns the stored result."""
    key = request.POST.get("form_key", "")[:80]
    _, result, _ = run_idempotent(request, operation=operation, body=body, action=act, key=key)
    return result


@roles(*WORKBENCH)
def application_page(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access_application_by_id(request.user, application_id)
    case = application.case
    context: dict[str, Any] = {
        "case": case,
        "application": application,
        "state_label": types.get(case.case_type).states[case.state],
        "actions": available_actions(case, request.user),
        "can_disburse": partner_kind(request.user) == Organisation.Kind.BANK
        and getattr(request.user, "organisation_id", None) == application.bank_id
        and case.state == "approved"
        and not Loan.objects.filter(application=application).exists(),
        "methods": METHODS,
        "bases": BASES,
        "frequencies": FREQUENCIES_LABELS,
        "lpr_terms": LPR_TERMS,
        "form_key": secrets.token_hex(8),
        "data": {"principal": application.eligible_amount, "term_months": application.term_months, "spread": "0"},
    }
    if request.method == "POST":
        try:
            if request.POST.get("action") == "disburse":
                body = {k: request.POST.get(k, "") for k in DISBURSE_FIELDS}
                context["data"] = body

                def act(key: str) -> tuple[int, dict[str, Any]]:
                    loan = actions.loan_disburse(
                        actor=request.user, application=application, data=body, request=request
                    )
                    return 201, {"loan_id": loan.pk}

                result = _money_form(request, "disburse", body, act)
                return redirect("loans:loan", loan_id=result["loan_id"])
            case_transition(
                case=case,
                action=request.POST.get("action", ""),
                actor=request.user,
                comment=request.POST.get("comment", ""),
                expected_version=int(request.POST.get("version") or case.version),
                request=request,
            )
        except DomainError as error:
            context["error"] = error
            return render(request, "loans/application.html", context, status=min(error.status, 422))
        return redirect("loans:application", application_id=application.pk)
    return render(request, "loans/application.html", context)


DISBURSE_FIELDS = (
    "contract_number",
    "contract_date",
    "disbursed_on",
    "principal",
    "term_months",
    "spread",
    "lpr_term",
    "method",
    "basis",
    "frequency",
)


@roles(*WORKBENCH)
def loan_page(request: HttpRequest, loan_id: int) -> HttpResponse:
    loan = access_loan_by_id(request.user, loan_id)
    context = loan_context(loan, request.user) | {
        "partner_kind": partner_kind(request.user),
        "form_key": secrets.token_hex(8),
    }
    if request.method == "POST":
        try:
            _loan_act(request, loan)
        except DomainError as error:
            context["error"] = error
            return render(request, "loans/loan.html", context, status=min(error.status, 422))
        return redirect("loans:loan", loan_id=loan.pk)
    return render(request, "loans/loan.html", context)


def _loan_act(request: HttpRequest, loan: Loan) -> None:
    action, post, user = request.POST.get("action", ""), request.POST, request.user
    if action == "repay":
        body = {k: post.get(k, "") for k in ("paid_on", "principal", "interest")} | {"loan_id": loan.pk}

        def repay(key: str) -> tuple[int, dict[str, Any]]:
            made = actions.loan_repay(
                actor=user,
                loan=loan,
                paid_on=body["paid_on"],
                principal=body["principal"] or "0",
                interest=body["interest"] or "0",
                source=Repayment.Source.WEB,
                idempotency_key=key,
                request=request,
            )
            return 201, {"repayment_id": made.pk}

        _money_form(request, "repay", body, repay)
        messages.success(request, "还款已登记")
    elif action == "compensate":
        claim = defaults.compensation_claim_file
        _money_form(
            request, "compensate", {"loan_id": loan.pk}, lambda key: (201, {"id": claim(actor=user, loan=loan).pk})
        )
    elif action in ("pay_claim", "refuse_claim"):
        _decide_claim(request, loan, pay=action == "pay_claim")
    elif action == "recover":
        body = {"loan_id": loan.pk, "amount": post.get("amount", ""), "recovered_on": post.get("recovered_on", "")}

        def recover(key: str) -> tuple[int, dict[str, Any]]:
            made = defaults.recovery_record(
                actor=user, loan=loan, amount=body["amount"], recovered_on=body["recovered_on"], request=request
            )
            return 201, {"recovery_id": made.pk}

        _money_form(request, "recover", body, recover)
    elif action.startswith("extension:"):
        case = next(
            (c for c, _ in loan_context(loan, user)["extension_actions"] if str(c.pk) == post.get("case")), None
        )
        if case is None:
            raise DomainError("没有待办的展期申请", code="conflict", status=409)
        case_transition(
            case=case,
            action=action.split(":", 1)[1],
            actor=user,
            comment=post.get("comment", ""),
            expected_version=int(post.get("version") or case.version),
            request=request,
        )
    elif action == "write_off":
        defaults.loan_write_off(actor=user, loan=loan, reason=post.get("reason", ""), request=request)
    else:
        raise DomainError("没有这个操作", code="unknown_action")


def _decide_claim(request: HttpRequest, loan: Loan, *, pay: bool) -> None:
    claim = CompensationClaim.objects.filter(loan=loan, state=CompensationClaim.State.FILED).first()
    if claim is None:
        raise DomainError("没有待审核的代偿申请", code="conflict", status=409)
    if pay:
        paid = defaults.compensation_pay
        _money_form(
            request,
            "pay_claim",
            {"claim_id": claim.pk},
            lambda key: (201, {"id": paid(actor=request.user, claim=claim).pk}),
        )
    else:
        defaults.compensation_refuse(
            actor=request.user, claim=claim, note=request.POST.get("note", ""), request=request
        )


@roles(*WORKBENCH)
def fund_page(request: HttpRequest) -> HttpResponse:
    """The guarantee funds the user may see: balance, leverage against its limit, rates, and cash movements. The
    bureau covering a fund's area records deposits here."""
    today = timezone.localdate()
    funds = []
    for fund in funds_for(request.user).select_related("organisation"):
        funds.append(
            {
                "fund": fund,
                "leverage": leverage(fund, on=today),
                "repayment_rate": repayment_rate(fund, today.year - 1),
                "compensation_rate": compensation_rate(fund),
                "movements": fund_movements(fund)[:50],
            }
        )
    context: dict[str, Any] = {"funds": funds, "today": today}
    if request.method == "POST":
        chosen = funds_for(request.user).filter(pk=request.POST.get("fund") or 0).first()
        try:
            if chosen is None:
                raise DomainError("请选择担保基金", code="invalid")
            fund_deposit(
                actor=request.user,
                fund=chosen,
                amount=request.POST.get("amount"),
                on=today,
                note=request.POST.get("note", ""),
                request=request,
            )
        except DomainError as error:
            context["error"] = error
            return render(request, "loans/fund.html", context, status=min(error.status, 422))
        messages.success(request, "注资已入账")
        return redirect("loans:fund")
    return render(request, "loans/fund.html", context)
