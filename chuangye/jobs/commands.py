"""What management commands that start a job print: the result when the job ended here (immediate backend), or
where to follow it when task workers run it."""

from typing import Any

from django.core.management.base import CommandError, OutputWrapper

from chuangye.jobs.actions import job_start
from chuangye.jobs.kinds import get_kind
from chuangye.jobs.models import Job, State


def start_and_report(stdout: OutputWrapper, kind_code: str, params: dict[str, Any], **start: Any) -> Job:
    job = job_start(kind_code, params, **start)
    job.refresh_from_db()
    kind = get_kind(kind_code)
    if job.state == State.FAILED:
        raise CommandError(f"任务 {job.pk}（{job.label}）有分片失败，详见 /workbench/jobs/{job.pk}/ 和日志")
    if job.state == State.DONE:
        stdout.write(kind.summary(job.result) if kind.summary else str(job.result))
    else:
        stdout.write(
            f"已开始后台任务 {job.pk}（{job.parts_total} 个分片），由任务进程执行；进度见 /workbench/jobs/{job.pk}/"
        )
    return job
