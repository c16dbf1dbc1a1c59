"""Objects for the route-access walk (chuangye/accounts/tests/test_route_access.py); contract in the docstring of
``chuangye/reporting/testing.py``.

Three finished jobs: one started in 锦江区 ("jj"), one in 武侯区 ("wh") and one of the system's calendar ("sys", no
region, counts only). Staff see their region's jobs and the system's; citizens and partners see none.
"""

from typing import Any

from chuangye.jobs.models import Job, State

PUBLIC_WEB: set[str] = set()
PUBLIC_API_PREFIXES: tuple[str, ...] = ()
_NOBODY: dict[str, set[str]] = {
    p: set()
    for p in ("anonymous", "li", "zhao", "wang_fang", "chen_gang", "yang_fan", "zhou_jing", "huang_lei", "wu_ting")
}
ROUTE_PARAMS: dict[str, dict[str, set[str]]] = {
    "jobs_job_id": _NOBODY
    | {
        "wang_fang": {"jj", "sys"},
        "chen_gang": {"wh", "sys"},
        "yang_fan": {"jj", "wh", "sys"},
        "zhou_jing": {"jj", "wh", "sys"},
    }
}


def route_objects(**cast: Any) -> dict[str, dict[str, Any]]:
    def job(region: str) -> Job:
        return Job.objects.create(kind="cases.deadlines", label="办件时限提醒", region_code=region, state=State.DONE)

    return {"jobs_job_id": {"jj": job("510104"), "wh": job("510107"), "sys": job("")}}
