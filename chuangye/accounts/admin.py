from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.db.models import QuerySet
from django.http import HttpRequest

from chuangye.accounts import actions
from chuangye.accounts.models import ApiToken, Organisation, User
from chuangye.core.ids import parse_credit_code
from chuangye.core.regions import validate_region_code


class RegionCodeMixin:
    def clean_region_code(self) -> str:
        value = self.cleaned_data.get("region_code", "")  # type: ignore[attr-defined]
        return validate_region_code(value) if value else ""


class UserCreateForm(RegionCodeMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("username", "real_name", "role", "region_code", "organisation")


class UserChangeForm(RegionCodeMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ("real_name", "role", "region_code", "organisation", "is_active")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    """Staff and partner accounts are created here, and only here. Citizens sign up themselves."""

    add_form = UserCreateForm
    form = UserChangeForm
    list_display = ("username", "real_name", "role", "region_code", "organisation", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "real_name", "region_code")
    ordering = ("username",)
    fieldsets = ((None, {"fields": ("real_name", "role", "region_code", "organisation", "is_active")}),)
    add_fieldsets = (
        (None, {"fields": ("username", "real_name", "role", "region_code", "organisation", "password1", "password2")}),
    )
    readonly_fields = ("last_login",)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        if change and ("role" in form.changed_data or "region_code" in form.changed_data):
            obj.session_generation += 1  # a changed scope takes effect now, not at the next login
        super().save_model(request, obj, form, change)
        if deactivating:
            actions.user_deactivate(actor=request.user, user=obj, request=request)
        from chuangye.core.audit import record_event

        record_event(
            "account.admin_change" if change else "account.admin_create",
            actor=request.user,
            object_type="user",
            object_id=obj.pk,
            details={"fields": sorted(form.changed_data)},
            request=request,
        )


class OrganisationForm(RegionCodeMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = ("name", "kind", "region_code", "credit_code", "is_active")

    def clean_credit_code(self) -> str:
        return parse_credit_code(self.cleaned_data.get("credit_code")).code


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = OrganisationForm
    list_display = ("name", "kind", "region_code", "credit_code", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "credit_code")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Tokens are issued from the partner's workbench (the key is shown once); here they are seen and revoked."""

    list_display = ("name", "key_prefix", "user", "scopes", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("name", "key_prefix", "user", "scopes", "created_at", "expires_at", "revoked_at", "last_used_at")
    exclude = ("key_hash",)
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="吊销所选令牌", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            actions.api_token_revoke(actor=request.user, token=token, request=request)
        messages.success(request, f"已吊销 {queryset.count()} 个令牌")
