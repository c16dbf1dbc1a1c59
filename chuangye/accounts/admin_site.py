"""The administration site: only the three administrator roles, only after the second factor."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from chuangye.accounts.models import ADMIN_ROLES


class PlatformAdminSite(admin.AdminSite):
    site_header = "创业服务平台 · 系统管理"
    site_title = "创业服务平台"
    index_title = "系统管理"

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and user.is_authenticated and user.role in ADMIN_ROLES and user.is_verified())

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # One login page for the whole platform, with the second factor.
        return redirect_to_login(request.get_full_path())
