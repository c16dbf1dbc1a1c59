"""Workbench routes for registry import and export (kept apart so they can grow without crowding urls.py)."""

from django.urls import path

from chuangye.workbench import registry_io

urlpatterns = [
    path("people/import/", registry_io.people_io, name="people_io"),
    path("people/import/template.xlsx", registry_io.import_template, name="import_template"),
    path("people/import/job/", registry_io.import_job, name="import_job"),
    path("people/import/job/progress/", registry_io.import_progress, name="import_progress"),
    path("people/export.xlsx", registry_io.export_people, name="people_export"),
]
