from django.contrib import admin
from django.urls import include, path

from chuangye.accounts import views as account_views
from chuangye.core.views import healthz
from config.api import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("login/", account_views.login_view, name="login"),
    path("login/otp/", account_views.login_otp, name="login_otp"),
    path("logout/", account_views.logout_view, name="logout"),
    path("account/", include("chuangye.accounts.urls")),
    path("workbench/jobs/", include("chuangye.jobs.urls")),
    path("workbench/", include("chuangye.workbench.urls")),
    path("inbox/", include("chuangye.inbox.urls")),
    path("me/cases/", include("chuangye.cases.urls_me")),
    path("", include("chuangye.registration.urls")),
    path("", include("chuangye.loans.urls")),
    path("", include("chuangye.finance.urls")),
    path("training/", include("chuangye.training.urls")),
    path("cultivation/", include("chuangye.cultivation.urls")),
    path("services/", include("chuangye.services.urls")),
    path("incubators/", include("chuangye.incubators.urls")),
    path("flexible/", include("chuangye.flexible.urls")),
    path("reporting/", include("chuangye.reporting.urls")),
    path("sysadmin/", admin.site.urls),
    path("", include("chuangye.portal.urls")),
]

handler403 = "chuangye.portal.views.forbidden"
handler404 = "chuangye.portal.views.not_found"
# A database outage answers 503 with a Chinese message and Retry-After (pages and API alike); so does a session
# that cannot be saved after the view committed, which Django would otherwise report as a "Bad Request".
handler400 = "chuangye.core.dbfaults.bad_request"
handler500 = "chuangye.core.dbfaults.server_error"
