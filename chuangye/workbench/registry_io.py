"""Workbench pages for importing and exporting people with Excel.

Jobs are named by a ``?job=`` query parameter fetched through the scoped ``access_import_job`` (404 out of scope),
not by a path parameter. The job page starts the run with one htmx POST and polls a progress fragment every second;
once a background worker runs jobs, that POST finds the job already claimed and only reports progress.
"""

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from chuangye.accounts.access import roles, throttle
from chuangye.accounts.models import STAFF_ROLES
from chuangye.core.errors import DomainError
from chuangye.registry.excel import MAX_ROWS, MAX_UPLOAD_BYTES, XLSX_CONTENT_TYPE, template_workbook
from chuangye.registry.exports import people_export
from chuangye.registry.imports import (
    STALE_AFTER,
    AlreadyImportedError,
    access_import_job,
    import_job_run,
    import_jobs_for,
    import_upload,
)
from chuangye.registry.models import ImportJob, KeyGroupCategory


def _download(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    # RFC 6266 / 5987: the Chinese file name survives in every current browser.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    response["Cache-Control"] = "no-store"
    return response


def _io_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    groups = KeyGroupCategory.objects.filter(province_code="", is_active=True).order_by("pk")
    return {
        "jobs": import_jobs_for(request.user).select_related("created_by")[:10],
        "groups": [(c.fact, c.name) for c in groups],
        "filters": {name: request.GET.get(name, "").strip() for name in ("q", "region_code", "group")},
        "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024,
        "max_rows": MAX_ROWS,
        **extra,
    }


@roles(*STAFF_ROLES)
@throttle("20/m", key="user", method="POST")
def people_io(request: HttpRequest) -> HttpResponse:
    """Download the template, upload a file, see recent imports, export the list."""
    if request.method != "POST":
        return render(request, "workbench/io/import.html", _io_context(request))
    try:
        job = import_upload(actor=request.user, upload=request.FILES.get("file"))
    except AlreadyImportedError as error:
        context = _io_context(request, notice=error.message, existing_job=error.job)
        return render(request, "workbench/io/import.html", context, status=409)
    except DomainError as error:
        return render(request, "workbench/io/import.html", _io_context(request, error=error.message), status=422)
    return redirect(f"{reverse('workbench:import_job')}?job={job.pk}")


@roles(*STAFF_ROLES)
def import_template(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return _download(template_workbook(user.region_code), "人员导入模板.xlsx")


@roles(*STAFF_ROLES)
def import_job(request: HttpRequest) -> HttpResponse:
    """One import's progress and report; without ``?job=`` it points back to the list of imports."""
    job_id = request.GET.get("job")
    if not job_id:
        return render(request, "workbench/io/job.html", {"job": None})
    job = access_import_job(request.user, job_id)
    return render(request, "workbench/io/job.html", {"job": job, "needs_start": _needs_start(job)})


@roles(*STAFF_ROLES)
def import_progress(request: HttpRequest) -> HttpResponse:
    """htmx fragment with the job's progress; a POST first runs the job if nobody has claimed it."""
    job_id = request.GET.get("job")
    if not job_id:
        return render(request, "workbench/io/_progress.html", {"job": None})
    job = access_import_job(request.user, job_id)
    if request.method == "POST" and _needs_start(job):
        job = import_job_run(job.pk)
    return render(request, "workbench/io/_progress.html", {"job": job})


def _needs_start(job: ImportJob) -> bool:
    if job.state == ImportJob.State.QUEUED:
        return True
    stale = job.progress_at is not None and job.progress_at < timezone.now() - STALE_AFTER
    return job.state == ImportJob.State.VALIDATING and stale


@roles(*STAFF_ROLES)
@throttle("10/m", key="user", method="GET")
def export_people(request: HttpRequest) -> HttpResponse:
    """The list page's people (same scope and filters) as Excel, masked; rate-limited and audited."""
    try:
        export = people_export(
            actor=request.user,
            query=request.GET.get("q", "").strip(),
            region_code=request.GET.get("region_code", "").strip(),
            group=request.GET.get("group", "").strip(),
            request=request,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(reverse("workbench:people_io"))
    return _download(export.content, export.file_name)
