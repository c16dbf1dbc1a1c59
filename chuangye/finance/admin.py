"""LPR rates in the administration site: changes go through the audit trail."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from chuangye.core.audit import record_event
from chuangye.finance.models import FinancialProduct, LprRate


@admin.register(LprRate)
class LprRateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("term", "effective_from", "rate", "source", "created_at")
    list_filter = ("term",)
    ordering = ("term", "-effective_from")

    def save_model(self, request: HttpRequest, obj: LprRate, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        record_event(
            "finance.lpr_changed" if change else "finance.lpr_created",
            actor=request.user,
            object_type="finance.LprRate",
            object_id=obj.pk,
            details={"term": obj.term, "from": obj.effective_from.isoformat(), "rate": str(obj.rate)},
            request=request,
        )


@admin.register(FinancialProduct)
class FinancialProductAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "bank", "category", "borrower", "spread_min", "spread_max", "is_active")
    list_filter = ("category", "borrower", "is_active")
