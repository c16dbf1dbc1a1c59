"""A task worker: runs queued tasks (job parts and the rest) from the configured backend, and in a side thread
every CHUANGYE_JOB_SWEEP_SECONDS re-queues parts whose worker died and starts the calendar's jobs that are due.

``CHUANGYE_TASKS=database`` runs django-tasks-db's ``db_worker``; ``rq`` runs an RQ worker on Redis. RQ's
SimpleWorker runs each task in this process (no fork per task), so "a worker" is one process: killing it stops its
part, whose lease then lets another worker take it over.
"""

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connections

from chuangye.jobs.actions import requeue_stale, worker_name
from chuangye.jobs.schedule import start_due

logger = logging.getLogger("chuangye.jobs.worker")


def sweep_once(*, schedule: bool) -> None:
    close_old_connections()
    try:
        requeue_stale()
        if schedule:
            start_due()
    except Exception:  # a database restart, say: log it and try again next time
        logger.exception("job sweep failed; retrying in the next round")
    finally:
        connections.close_all()


def _sweeper(interval: int, schedule: bool, stop: threading.Event) -> None:
    while not stop.wait(interval):
        sweep_once(schedule=schedule)


class Command(BaseCommand):
    help = "后台任务进程：执行队列中的任务（分片任务等），并定期接手中断的分片、启动到期的定时任务"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", default="default", help="queue name (default: default)")
        parser.add_argument(
            "--no-schedule", action="store_true", help="do not start scheduled jobs (still re-queues stale parts)"
        )

    def handle(self, *args: object, **options: Any) -> None:
        backend = settings.TASKS_BACKEND
        if backend == "immediate":
            raise CommandError(
                "CHUANGYE_TASKS=immediate：任务在提交它的进程中执行，不需要任务进程。"
                "请设置 CHUANGYE_TASKS=database 或 rq（见 docs/deployment.md）。"
            )
        schedule = settings.JOB_SCHEDULE and not options["no_schedule"]
        interval = max(1, settings.JOB_SWEEP_SECONDS)
        stop = threading.Event()
        sweep_once(schedule=schedule)  # at start: take over what a crashed worker left
        thread = threading.Thread(target=_sweeper, args=(interval, schedule, stop), name="job-sweeper", daemon=True)
        thread.start()
        logger.info(
            "worker %s: backend %s, queue %s, sweep every %ss", worker_name(), backend, options["queue"], interval
        )
        try:
            if backend == "database":
                call_command("db_worker", queue_name=options["queue"], interval=1, reload=False, startup_delay=False)
            else:
                call_command(
                    "rqworker",
                    options["queue"],
                    worker_class="rq.worker.SimpleWorker",
                    job_class="django_tasks_rq.Job",  # runs Django Tasks' task objects (django-tasks-rq)
                    name=worker_name(),
                )
        finally:
            stop.set()
