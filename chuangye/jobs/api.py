"""Background jobs over the API (mounted at /api/v1/jobs): progress of the jobs a staff user may follow."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema

from chuangye.accounts.access import is_staff_role
from chuangye.accounts.api import require_scope
from chuangye.accounts.models import API_SCOPES
from chuangye.jobs.access import access_job
from chuangye.jobs.actions import job_parts_summary
from chuangye.jobs.selectors import jobs_with_progress

router = Router(tags=["后台任务"])
API_SCOPES.setdefault("jobs:read", "查看本辖区后台任务的进度")
PAGE = 50


class JobOut(Schema):
    id: int
    kind: str
    label: str
    state: str
    state_label: str
    region_code: str
    parts_total: int
    parts_done: int
    parts_failed: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    result: dict[str, Any]


def _staff(request: HttpRequest) -> Any:
    require_scope(request, "jobs:read")
    if not is_staff_role(request.user):
        raise PermissionDenied
    return request.user


def _out(job: Any, done: int, failed: int) -> JobOut:
    return JobOut(
        id=job.pk,
        kind=job.kind,
        label=job.label,
        state=job.state,
        state_label=job.get_state_display(),
        region_code=job.region_code,
        parts_total=job.parts_total,
        parts_done=done,
        parts_failed=failed,
        created_at=job.created_at,
        finished_at=job.finished_at,
        result=job.result,
    )


@router.get("/", response=list[JobOut], summary="后台任务列表（最近50个）及进度")
def list_jobs(request: HttpRequest) -> Any:
    user = _staff(request)
    jobs: list[Any] = list(jobs_with_progress(user)[:PAGE])
    return [_out(job, job.parts_done, job.parts_failed) for job in jobs]


@router.get("/{jobs_job_id}", response=JobOut, summary="一个后台任务的进度")
def get_job(request: HttpRequest, jobs_job_id: int) -> Any:
    require_scope(request, "jobs:read")
    job = access_job(request.user, jobs_job_id)  # 404 for anyone out of scope, whatever their role
    counts = job_parts_summary(job)
    return _out(job, counts["done"], counts["failed"])
