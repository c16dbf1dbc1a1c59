"""Staff pages for background jobs, mounted at /workbench/jobs/: the list with progress, one job with its parts
(polled while it runs), and starting a 政策找人 scan of one's own region."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from chuangye.accounts.access import roles, throttle
from chuangye.accounts.models import STAFF_ROLES
from chuangye.core.errors import DomainError
from chuangye.jobs import actions
from chuangye.jobs.access import access_job
from chuangye.jobs.actions import job_parts_summary
from chuangye.jobs.kinds import get_kind
from chuangye.jobs.selectors import jobs_with_progress, percent

PAGE = 50


def _detail_context(job: Any) -> dict[str, Any]:
    counts = job_parts_summary(job)
    kind = get_kind(job.kind)
    return {
        "job": job,
        "counts": counts,
        "percent": percent(counts["done"] + counts["failed"], job.parts_total),
        "parts": job.parts.all(),
        "summary": kind.summary(job.result) if kind.summary and job.is_finished else "",
    }


@roles(*STAFF_ROLES)
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = list(jobs_with_progress(request.user).select_related("created_by")[:PAGE])
    for job in jobs:
        job.percent = percent(job.parts_done + job.parts_failed, job.parts_total)  # type: ignore[attr-defined]
    return render(request, "jobs/list.html", {"jobs": jobs})


@roles(*STAFF_ROLES)
def job_detail(request: HttpRequest, jobs_job_id: int) -> HttpResponse:
    job = access_job(request.user, jobs_job_id)
    return render(request, "jobs/detail.html", _detail_context(job))


@roles(*STAFF_ROLES)
def job_progress(request: HttpRequest, jobs_job_id: int) -> HttpResponse:
    """htmx fragment: the job's progress and parts, polled every two seconds while it runs."""
    job = access_job(request.user, jobs_job_id)
    return render(request, "jobs/_progress.html", _detail_context(job))


@roles(*STAFF_ROLES)
@require_POST
@throttle("6/m", key="user", method="POST")
def scan_start(request: HttpRequest) -> HttpResponse:
    """政策找人 over the officer's own region now (besides the nightly run)."""
    try:
        job = actions.scan_start(actor=request.user, on=timezone.localdate())
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(reverse("jobs:list"))
    messages.success(request, "已开始政策找人，可在本页查看进度。")
    return redirect(reverse("jobs:detail", args=[job.pk]))
