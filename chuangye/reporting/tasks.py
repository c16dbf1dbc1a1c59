"""The monthly reporting job (django-tasks): snapshots of every KPI for every bureau region. Arguments and result
are JSON; the work is idempotent (one snapshot per region and month, replaced on a re-run)."""

from typing import Any

from django.utils import timezone
from django_tasks import task

from chuangye.reporting.actions import monthly_job
from chuangye.reporting.periods import last_complete_month


@task()
def monthly_snapshot_task(year: int = 0, month: int = 0) -> dict[str, Any]:
    """Snapshots of ``year``-``month`` (the last complete month when 0)."""
    if not year or not month:
        period = last_complete_month(timezone.localdate())
        year, month = period.year, period.number
    regions = monthly_job(year, month)
    return {"year": year, "month": month, "regions": regions}
