"""The one task that carries job parts to workers (django-tasks: JSON argument, any backend)."""

from django_tasks import task

from chuangye.jobs.actions import part_run


@task()
def run_job_part(part_id: int) -> str:
    return part_run(part_id)
