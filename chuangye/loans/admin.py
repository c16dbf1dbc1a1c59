"""Reference data of the loan programme in the administration site: guarantee funds and regional parameters.
Money is never edited here; it moves only through the actions, which keep the ledger balanced."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from chuangye.core.audit import record_event
from chuangye.core.errors import FieldValueError
from chuangye.core.regions import validate_region_code
from chuangye.loans.models import GuaranteeFund, LoanParameterOverride
from chuangye.loans.params import PARAMS, parse_value


@admin.register(GuaranteeFund)
class GuaranteeFundAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "organisation", "region_code", "is_active")
    search_fields = ("name", "region_code")


class OverrideForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LoanParameterOverride
        fields = ("name", "region_code", "value", "effective_from", "document_number")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = data.get("name", "")
        if name not in PARAMS:
            raise forms.ValidationError("未知的贷款参数：" + str(name))
        try:
            parse_value(PARAMS[name], data.get("value", ""))
            validate_region_code(data.get("region_code"))
        except FieldValueError as error:
            raise forms.ValidationError(error.message) from None
        return data


@admin.register(LoanParameterOverride)
class LoanParameterOverrideAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Regional values are entered, never edited: a correction is a newer entry (the latest wins)."""

    form = OverrideForm

    list_display = ("name", "region_code", "value", "effective_from", "document_number", "created_at")
    list_filter = ("name",)
    readonly_fields = ("created_by", "created_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: LoanParameterOverride, form: Any, change: bool) -> None:
        obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        record_event(
            "loans.parameter_override_created",
            actor=request.user,
            object_type="loans.LoanParameterOverride",
            object_id=obj.pk,
            region_code=obj.region_code,
            details={"name": obj.name, "value": obj.value, "from": obj.effective_from.isoformat()},
            request=request,
        )
