"""Jobs that run by the calendar, started by the workers themselves (no separate cron).

Each worker's sweep calls ``start_due``; a run is named by its kind and period (``policies.scan:2026-11-26``) and
that name is unique, so however many workers look, each run starts once. A worker that was down at the set time
starts the run when it comes back (the same day, or the same month for monthly runs). Times are Beijing time.
Switched off with CHUANGYE_JOB_SCHEDULE=false (e.g. on a test rig that starts its jobs by hand).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from chuangye.jobs.actions import job_start
from chuangye.jobs.models import Job


@dataclass(frozen=True)
class Scheduled:
    kind: str
    at: dt.time
    monthly: bool = False
    params: Callable[[dt.date], dict[str, Any]] = field(default=lambda day: {"on": day.isoformat()})

    def key(self, day: dt.date) -> str:
        return f"{self.kind}:{day:%Y-%m}" if self.monthly else f"{self.kind}:{day:%Y-%m-%d}"


def _last_month(day: dt.date) -> dict[str, Any]:
    first = day.replace(day=1) - dt.timedelta(days=1)
    return {"year": first.year, "month": first.month}


SCHEDULE = (
    Scheduled("cases.deadlines", dt.time(0, 30)),
    Scheduled("loans.daily", dt.time(1, 0)),
    Scheduled("services.daily", dt.time(1, 30)),
    Scheduled("policies.scan", dt.time(2, 0)),
    Scheduled("reporting.monthly", dt.time(3, 0), monthly=True, params=_last_month),
)


def start_due(now: dt.datetime | None = None) -> list[Job]:
    """Start every scheduled run that is due and not yet started; returns the jobs started or found."""
    local = timezone.localtime(now or timezone.now())
    day = local.date()
    started = []
    for item in SCHEDULE:
        if local.time() < item.at:
            continue
        key = item.key(day)
        if Job.objects.filter(unique_key=key).exists():
            continue
        started.append(job_start(item.kind, item.params(day), unique_key=key))
    return started
