"""The borrower's pages: apply, follow applications, see each loan's schedule, repayments and subsidy."""

import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from chuangye.accounts.access import roles, throttle
from chuangye.accounts.models import Organisation, Role
from chuangye.cases import types
from chuangye.core.errors import DomainError
from chuangye.loans.access import access_loan_by_id, applications_for, loans_for
from chuangye.loans.applications import loan_apply
from chuangye.loans.extensions import extension_apply
from chuangye.loans.facts import ENTERPRISE_DECLARATIONS, PERSON_DECLARATIONS
from chuangye.loans.models import LoanKind
from chuangye.loans.selectors import arrears, with_balances
from chuangye.loans.views_common import loan_context
from chuangye.registry.models import Business

FIELDS = ("requested_amount", "term_months", "purpose", "bank", "new_key_group_hires_12m")


@roles(Role.CITIZEN)
def my_loans(request: HttpRequest) -> HttpResponse:
    applications = applications_for(request.user).select_related("case", "bank").order_by("-case__submitted_at")
    rows = [(a, types.get(a.case.case_type).states[a.case.state]) for a in applications[:50]]
    loans = with_balances(loans_for(request.user)).order_by("-disbursed_on")
    today = timezone.localdate()
    return render(
        request,
        "loans/my_loans.html",
        {"applications": rows, "loans": [(loan, arrears(loan, today)) for loan in loans[:50]]},
    )


def _my_businesses(user: Any) -> Any:
    return Business.objects.filter(founders__person__user=user, status=Business.Status.OPERATING).distinct()


@roles(Role.CITIZEN)
@throttle("20/h")
def apply(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    banks = Organisation.objects.filter(kind=Organisation.Kind.BANK, is_active=True)
    if person is not None:
        banks = banks.filter(region_code__startswith=person.region_code[:4])
    context: dict[str, Any] = {
        "kinds": LoanKind.choices,
        "banks": banks.order_by("name"),
        "businesses": _my_businesses(request.user),
        "declarations": PERSON_DECLARATIONS,
        "enterprise_declarations": ENTERPRISE_DECLARATIONS,
        "data": {"kind": "individual", "term_months": "24"},
        "form_key": secrets.token_hex(8),
    }
    if request.method == "POST":
        data: dict[str, object] = {k: request.POST.get(k, "") for k in FIELDS}
        data.update({k: request.POST.get(k) == "on" for k in (*PERSON_DECLARATIONS, *ENTERPRISE_DECLARATIONS)})
        kind = request.POST.get("kind", "")
        business = _my_businesses(request.user).filter(pk=request.POST.get("business") or 0).first()
        context.update(data=data | {"kind": kind}, form_key=request.POST.get("form_key", ""))
        try:
            case = loan_apply(
                applicant=request.user,
                kind=kind,
                data=data,
                business=business,
                materials=request.FILES.getlist("materials"),
                idempotency_key=request.POST.get("form_key", "")[:80],
                request=request,
            )
        except DomainError as error:
            context["error"] = error
            return render(request, "loans/apply.html", context, status=422)
        return redirect("cases_me:detail", case_id=case.pk)
    return render(request, "loans/apply.html", context)


@roles(Role.CITIZEN)
def my_loan(request: HttpRequest, loan_id: int) -> HttpResponse:
    """The loan's schedule, repayments and subsidy; the borrower applies for 展期 here."""
    loan = access_loan_by_id(request.user, loan_id)
    context = loan_context(loan, request.user)
    if request.method == "POST":
        try:
            case = extension_apply(
                applicant=request.user,
                loan=loan,
                months=request.POST.get("months"),
                reason=request.POST.get("reason"),
                request=request,
            )
        except DomainError as error:
            context["error"] = error
            return render(request, "loans/my_loan.html", context, status=min(error.status, 422))
        return redirect("cases_me:detail", case_id=case.pk)
    return render(request, "loans/my_loan.html", context)
