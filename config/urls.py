from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from chuangye.core.views import healthz
from config.api import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("workbench/", include("chuangye.workbench.urls")),
    path("sysadmin/", admin.site.urls),
    path("", include("chuangye.portal.urls")),
]

admin.site.site_header = "创业服务平台 · 系统管理"
admin.site.site_title = "创业服务平台"
admin.site.index_title = "系统管理"
