"""The monthly reporting job split across workers: one part per bureau region (a snapshot of every KPI)."""

from typing import Any

from chuangye.core.models import Region
from chuangye.jobs.kinds import JobKind, Part, register
from chuangye.reporting.actions import bureau_regions, snapshot_month


def split(params: dict[str, Any]) -> list[Part]:
    return [Part(region.name, {"region": region.code}) for region in bureau_regions()]


def run_part(params: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    region = Region.objects.get(code=part["region"])
    snapshot_month(region=region, year=int(params["year"]), month=int(params["month"]))
    return {"regions": 1}


def summary(result: dict[str, Any]) -> str:
    return f"统计快照已生成：{result.get('regions', 0)} 个行政区划"


KIND = JobKind("reporting.monthly", "统计月报", split, run_part, summary=summary)


def register_kind() -> None:
    register(KIND)
