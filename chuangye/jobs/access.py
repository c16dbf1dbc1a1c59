"""Who may follow which job: staff see the jobs of their region and below, and the system's own runs (blank
region: scheduled jobs over every region, whose pages show counts only)."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from chuangye.accounts.access import region_filter
from chuangye.jobs.models import Job


def jobs_for(user: Any) -> QuerySet[Job]:
    scope = region_filter(user)
    if scope is None:
        return Job.objects.none()
    return Job.objects.filter(scope | Q(region_code=""))


def access_job(user: Any, job_id: object) -> Job:
    try:
        return jobs_for(user).get(pk=int(str(job_id)))
    except (Job.DoesNotExist, ValueError):
        raise Http404("没有找到该任务") from None
