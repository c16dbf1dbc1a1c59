"""Plan 6 pages: the LPR series (and its entry by the province), the products catalogue with "products that fit
me", and financing-cost statistics."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from chuangye.accounts.access import roles
from chuangye.accounts.models import STAFF_ROLES, Organisation, Role
from chuangye.core.errors import DomainError
from chuangye.finance.lpr import lpr_create, lpr_import
from chuangye.finance.models import FinancialProduct, LprRate
from chuangye.finance.products import financing_cost, product_create, products_for_business, products_for_person
from chuangye.loans.access import loans_for
from chuangye.loans.inputs import req_date
from chuangye.policies.facts import KEY_GROUPS
from chuangye.registry.models import Business

WORKBENCH = (*STAFF_ROLES, Role.PARTNER)
PRODUCT_FIELDS = (
    "name",
    "category",
    "borrower",
    "lpr_term",
    "spread_min",
    "spread_max",
    "amount_min",
    "amount_max",
    "term_min_months",
    "term_max_months",
    "description",
)


@roles(Role.CITIZEN)
def my_products(request: HttpRequest) -> HttpResponse:
    """Products that fit me: for myself and for each small business I founded."""
    today = timezone.localdate()
    person = getattr(request.user, "person", None)
    user: Any = request.user
    businesses = Business.objects.filter(founders__person__user=user, status="operating").distinct()
    return render(
        request,
        "finance/my_products.html",
        {
            "mine": products_for_person(person, on=today) if person is not None else [],
            "businesses": [(b, products_for_business(b, on=today)) for b in businesses],
        },
    )


@roles(*WORKBENCH)
def lpr_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"rates": LprRate.objects.order_by("-effective_from", "term")[:100]}
    if request.method == "POST":
        try:
            upload = request.FILES.get("file")
            if upload is not None:
                result = lpr_import(actor=request.user, upload=upload, request=request)
                messages.success(request, f"已导入 {result.created} 条，跳过已有 {result.skipped} 条")
            else:
                lpr_create(
                    actor=request.user,
                    effective_from=req_date(
                        request.POST.get("effective_from"), field="effective_from", label="起始日期"
                    ),
                    term=request.POST.get("term", ""),
                    rate=request.POST.get("rate", ""),
                    request=request,
                )
                messages.success(request, "LPR 已录入")
        except DomainError as error:
            context["error"] = error
            return render(request, "finance/lpr.html", context, status=min(error.status, 422))
        return redirect("finance:lpr")
    return render(request, "finance/lpr.html", context)


def _is_bank(user: Any) -> bool:
    organisation = getattr(user, "organisation", None)
    return user.role == Role.PARTNER and organisation is not None and organisation.kind == Organisation.Kind.BANK


@roles(*WORKBENCH)
def products_page(request: HttpRequest) -> HttpResponse:
    """Banks publish their products; everyone on the workbench sees the catalogue with today's rate ranges."""
    user: Any = request.user
    products = FinancialProduct.objects.filter(is_active=True).select_related("bank")
    if _is_bank(user):
        products = products.filter(bank=user.organisation)
    context: dict[str, Any] = {
        "products": products.order_by("category", "bank__name"),
        "is_bank": _is_bank(user),
        "categories": FinancialProduct.Category.choices,
        "borrowers": FinancialProduct.Borrower.choices,
        "groups": KEY_GROUPS,
    }
    if request.method == "POST":
        data: dict[str, Any] = {k: request.POST.get(k, "") for k in PRODUCT_FIELDS}
        data |= {
            "target_groups": request.POST.getlist("target_groups"),
            "collateral_free": request.POST.get("collateral_free") == "on",
            "first_loan_only": request.POST.get("first_loan_only") == "on",
        }
        try:
            product_create(actor=user, data=data, request=request)
        except DomainError as error:
            context["error"] = error
            return render(request, "finance/products.html", context, status=min(error.status, 422))
        messages.success(request, "产品已发布")
        return redirect("finance:products")
    return render(request, "finance/products.html", context)


@roles(*WORKBENCH)
def cost_page(request: HttpRequest) -> HttpResponse:
    """Financing cost of the guaranteed loans in the user's scope, per bank."""
    return render(request, "finance/cost.html", {"rows": financing_cost(loans_for(request.user))})
