"""Background tasks of the policy engine (django-tasks). Arguments and results are JSON, so any backend can carry
them; the work is idempotent (see ``scan``), so a task retried or run on two workers does no harm.

The backend is chosen in settings (``TASKS``): the immediate backend runs a task in the caller's process, which is
what development and tests use; the scale-out setup (issue 15) points it at a queue with separate workers.
"""

import datetime as dt
from typing import Any

from django_tasks import task

from chuangye.policies.scan import scan


@task()
def scan_policies_task(region_prefix: str = "", on: str = "", notify_people: bool = True) -> dict[str, Any]:
    """政策找人 for one region prefix (every region when blank) on ``on`` (ISO date; today when blank)."""
    result = scan(
        region_prefix=region_prefix, on=dt.date.fromisoformat(on) if on else None, notify_people=notify_people
    )
    return {
        "people": result.people,
        "changed": result.changed,
        "newly_eligible": result.newly_eligible,
        "grants": result.grants,
    }
