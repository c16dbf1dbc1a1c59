"""Reporting pages, mounted at /reporting/."""

from django.urls import path

from chuangye.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("drill/", views.drill, name="drill"),
    path("monthly/", views.monthly, name="monthly"),
    path("targets/", views.target_new, name="target_new"),
    path("public/", views.public_page, name="public"),
]
