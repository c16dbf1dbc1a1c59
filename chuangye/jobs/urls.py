"""Background job pages, mounted at /workbench/jobs/."""

from django.urls import path

from chuangye.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("scan/", views.scan_start, name="scan_start"),
    path("<int:jobs_job_id>/", views.job_detail, name="detail"),
    path("<int:jobs_job_id>/progress/", views.job_progress, name="progress"),
]
