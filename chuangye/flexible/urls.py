from django.urls import path

from chuangye.flexible import views

app_name = "flexible"
urlpatterns = [
    path("", views.market, name="market"),
    path("gigs/new/", views.gig_new, name="gig_new"),
    path("gigs/<int:gig_id>/", views.gig_detail, name="gig"),
    path("engagements/<int:engagement_id>/", views.engagement_detail, name="engagement"),
    path("zones/", views.zones, name="zones"),
    path("statistics/", views.statistics, name="statistics"),
    path("me/", views.me, name="me"),
    path("me/profile/", views.profile_edit, name="profile"),
    path("me/registration/", views.registration_new, name="registration"),
    path("me/rights/", views.rights_new, name="rights_new"),
    path("me/subsidy/", views.subsidy, name="subsidy"),
    path("employer/", views.employer_desk, name="employer"),
    path("legal-aid/", views.legal_aid_desk, name="legal_aid"),
    path("workbench/", views.workbench, name="workbench"),
    path("workbench/workers/", views.workers, name="workers"),
    path("workbench/reports/", views.reports, name="reports"),
    path("workbench/zones/", views.zones_manage, name="zones_manage"),
    path("workbench/rights/", views.rights_desk, name="rights_desk"),
    path("workbench/registration/", views.counter, name="counter"),
    path("workbench/subsidy/", views.subsidy_desk, name="subsidy_desk"),
]
