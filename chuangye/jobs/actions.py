"""Starting jobs, running their parts and taking over parts whose worker died (decision 0019).

The rules that make a job finish once however its parts are spread:
- a part is claimed by one conditional UPDATE (queued, or running with an expired lease) that hands the run a fresh
  token; only the token's holder can mark the part done, and for atomic kinds that mark commits in the same
  transaction as the part's writes, so a displaced or killed run leaves nothing;
- the job is closed by one conditional UPDATE once no part is queued or running, so exactly one worker closes it;
- a part whose lease ran out (its worker was killed) or whose task was lost is queued again by ``requeue_stale``,
  which every worker calls periodically.
"""

import logging
import os
import socket
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from chuangye.core.audit import record_event
from chuangye.jobs.kinds import combine, get_kind
from chuangye.jobs.models import Job, JobPart, State

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
ERROR_TEXT = 2000


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def lease() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def _runs_inline() -> bool:
    from django_tasks.backends.immediate import ImmediateBackend

    from chuangye.jobs.tasks import run_job_part

    return isinstance(run_job_part.get_backend(), ImmediateBackend)


def _enqueue(part_ids: Iterable[int]) -> None:
    from chuangye.jobs.tasks import run_job_part

    for part_id in part_ids:
        try:
            run_job_part.enqueue(part_id=part_id)
        except Exception:  # the queue is down: the part stays queued and a worker's sweep sends it again
            logger.exception("could not enqueue job part %s; the sweep will retry", part_id)


def enqueue_parts(part_ids: list[int]) -> None:
    """Send the parts to the workers once the caller's transaction commits (at once with the immediate backend,
    which runs them in this process and this transaction)."""
    if _runs_inline():
        _enqueue(part_ids)
    else:
        transaction.on_commit(lambda: _enqueue(part_ids))


def job_start(
    kind_code: str,
    params: dict[str, Any] | None = None,
    *,
    actor: Any = None,
    region_code: str = "",
    unique_key: str | None = None,
    label: str = "",
) -> Job:
    """Split a job into parts and queue them. With ``unique_key`` the same job is started at most once: a second
    start (another worker's scheduler, a double click) returns the first one."""
    kind = get_kind(kind_code)
    params = dict(params or {})
    if unique_key:
        existing = Job.objects.filter(unique_key=unique_key).first()
        if existing is not None:
            return existing
    parts = kind.split(params)
    now = timezone.now()
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind.code,
                label=label or kind.title,
                params=params,
                unique_key=unique_key or None,
                region_code=region_code,
                parts_total=len(parts),
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                state=State.QUEUED if parts else State.DONE,
                finished_at=None if parts else now,
            )
            created = JobPart.objects.bulk_create(
                JobPart(job=job, number=n, label=part.label, params=part.params, enqueued_at=now)
                for n, part in enumerate(parts, start=1)
            )
            record_event(
                "jobs.started",
                actor=actor,
                object_type="jobs.Job",
                object_id=job.pk,
                region_code=region_code,
                details={"kind": kind.code, "parts": len(parts), **({"key": unique_key} if unique_key else {})},
            )
    except IntegrityError:
        if unique_key:  # started at the same moment elsewhere
            return Job.objects.get(unique_key=unique_key)
        raise
    ids = [p.pk for p in created] if all(p.pk for p in created) else list(job.parts.values_list("pk", flat=True))
    enqueue_parts(ids)
    job.refresh_from_db()
    return job


class _Displaced(Exception):
    """The part was taken over while this run worked on it: its writes are rolled back."""


def _claim(part_id: int, worker: str) -> str | None:
    now = timezone.now()
    token = uuid.uuid4().hex
    claimable = JobPart.objects.filter(pk=part_id).filter(
        Q(state=State.QUEUED) | Q(state=State.RUNNING, lease_until__lt=now)
    )
    taken = claimable.update(
        state=State.RUNNING,
        claim=token,
        lease_until=now + lease(),
        worker=worker[:120],
        attempts=F("attempts") + 1,
        started_at=now,
    )
    return token if taken == 1 else None


def part_run(part_id: int, *, worker: str = "") -> str:
    """Run one part if nobody else holds it. Returns what happened: "done", "retry", "failed" or "skipped"."""
    worker = worker or worker_name()
    token = _claim(part_id, worker)
    if token is None:
        return "skipped"  # done already, or another live run holds it
    part = JobPart.objects.select_related("job").get(pk=part_id)
    job = part.job
    Job.objects.filter(pk=job.pk, state=State.QUEUED).update(state=State.RUNNING, started_at=part.started_at)
    kind = get_kind(job.kind)
    mine = JobPart.objects.filter(pk=part_id, claim=token, state=State.RUNNING)
    try:
        if kind.atomic:
            with transaction.atomic():
                result = kind.run_part(job.params, part.params)
                if mine.update(state=State.DONE, result=result, finished_at=timezone.now(), error="") != 1:
                    raise _Displaced
        else:
            result = kind.run_part(job.params, part.params)
            if mine.update(state=State.DONE, result=result, finished_at=timezone.now(), error="") != 1:
                raise _Displaced
    except _Displaced:
        return "skipped"
    except Exception as error:
        logger.exception("job %s part %s (%s) failed", job.pk, part.number, job.kind)
        text = f"{type(error).__name__}: {error}"[:ERROR_TEXT]
        if part.attempts < MAX_ATTEMPTS:
            if mine.update(state=State.QUEUED, error=text, lease_until=None, enqueued_at=timezone.now()) == 1:
                enqueue_parts([part_id])
            return "retry"
        mine.update(state=State.FAILED, error=text, finished_at=timezone.now())
        _close_if_complete(job.pk)
        return "failed"
    _close_if_complete(job.pk)
    return "done"


def _close_if_complete(job_id: int) -> bool:
    """Close the job once every part has ended; exactly one caller wins the conditional update."""
    counts = dict(JobPart.objects.filter(job_id=job_id).values_list("state").annotate(n=Count("pk")))
    if counts.get(State.QUEUED, 0) or counts.get(State.RUNNING, 0):
        return False
    job = Job.objects.get(pk=job_id)
    kind = get_kind(job.kind)
    results = list(JobPart.objects.filter(job_id=job_id, state=State.DONE).values_list("result", flat=True))
    state = State.FAILED if counts.get(State.FAILED, 0) else State.DONE
    with transaction.atomic():
        closed = Job.objects.filter(pk=job_id, state__in=[State.QUEUED, State.RUNNING]).update(
            state=state, result=combine(results), finished_at=timezone.now()
        )
        if closed != 1:
            return False
        job.refresh_from_db()
        record_event(
            "jobs.finished",
            outcome="success" if state == State.DONE else "failure",
            object_type="jobs.Job",
            object_id=job.pk,
            region_code=job.region_code,
            details={"kind": job.kind, "parts": job.parts_total, "failed": counts.get(State.FAILED, 0)},
        )
    if kind.on_finish is not None:
        try:
            kind.on_finish(job)
        except Exception:
            logger.exception("job %s: on_finish failed", job_id)
    return True


def requeue_stale(now: Any = None) -> int:
    """Queue again the parts whose run stopped reporting (lease expired: the worker died) and the queued parts whose
    task seems lost (queued for longer than three leases: the queue was emptied). Safe on many workers at once."""
    now = now or timezone.now()
    expired = JobPart.objects.filter(state=State.RUNNING, lease_until__lt=now)
    lost = JobPart.objects.filter(state=State.QUEUED, enqueued_at__lt=now - 3 * lease())
    again = []
    for part in (expired | lost).only("pk", "state", "claim", "lease_until", "enqueued_at")[:1000]:
        current = JobPart.objects.filter(pk=part.pk, state=part.state, claim=part.claim, enqueued_at=part.enqueued_at)
        if current.update(state=State.QUEUED, claim="", lease_until=None, enqueued_at=now) == 1:
            again.append(part.pk)
    if again:
        logger.warning("re-queued %d job part(s) whose worker stopped or whose task was lost", len(again))
        _enqueue(again)
    return len(again)


def job_parts_summary(job: Job) -> dict[str, int]:
    counts = dict(job.parts.values_list("state").annotate(n=Count("pk")))
    return {state.value: counts.get(state.value, 0) for state in State}


def scan_start(*, actor: Any, on: Any) -> Job:
    """An officer starts 政策找人 over their own region; refused while one for the same region is still running."""
    from chuangye.core.errors import ConflictError
    from chuangye.core.regions import significant_prefix

    prefix = significant_prefix(actor.region_code)
    busy = Job.objects.filter(
        kind="policies.scan", params__region_prefix=prefix, state__in=[State.QUEUED, State.RUNNING]
    )
    if busy.exists():
        raise ConflictError("本地区的政策找人正在进行，请等它完成后再开始")
    return job_start(
        "policies.scan",
        {"on": on.isoformat(), "region_prefix": prefix, "notify": True},
        actor=actor,
        region_code=actor.region_code,
        label=f"政策找人（{actor.region_code}，手动）",
    )
