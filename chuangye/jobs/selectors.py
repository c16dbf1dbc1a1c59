"""Lists of jobs with their progress, for the pages and the API."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from chuangye.jobs.access import jobs_for
from chuangye.jobs.models import Job, State


def jobs_with_progress(user: Any) -> QuerySet[Job]:
    return jobs_for(user).annotate(
        parts_done=Count("parts", filter=Q(parts__state=State.DONE)),
        parts_failed=Count("parts", filter=Q(parts__state=State.FAILED)),
        parts_running=Count("parts", filter=Q(parts__state=State.RUNNING)),
    )


def percent(done: int, total: int) -> int:
    return 100 if total == 0 else done * 100 // total
