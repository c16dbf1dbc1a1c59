"""An Excel import of registrants as a job for the task workers. An import is written whole or not at all, so it is
one part; its rows are checked in batches with progress on the import's own page, and ``import_job_run`` claims the
import itself (a run killed mid-way is taken over once its progress goes stale), so the part is not atomic."""

from typing import Any

from chuangye.jobs.kinds import JobKind, Part, register
from chuangye.registry.imports import import_job_run


def split(params: dict[str, Any]) -> list[Part]:
    return [Part(f"导入任务 {params['import_job_id']}", {})]


def run_part(params: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    job = import_job_run(int(params["import_job_id"]))
    return {"state": job.state, "created": job.created_count, "problems": job.problem_count}


KIND = JobKind(
    "registry.import",
    "人员批量导入",
    split,
    run_part,
    atomic=False,
    summary=lambda r: f"新增人员 {r.get('created', 0)} 人，问题 {r.get('problems', 0)} 个",
)


def register_kind() -> None:
    register(KIND)
