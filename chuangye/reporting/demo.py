"""Demo data: the last complete month's snapshots for every bureau region, so the monthly report page has history.
Idempotent: a region and month already stored is left as it is."""

from django.utils import timezone

from chuangye.reporting.actions import bureau_regions, snapshot_month
from chuangye.reporting.models import MonthlySnapshot
from chuangye.reporting.periods import last_complete_month


def seed() -> str:
    period = last_complete_month(timezone.localdate())
    created = 0
    for region in bureau_regions():
        if MonthlySnapshot.objects.filter(region_code=region.code, year=period.year, month=period.number).exists():
            continue
        snapshot_month(region=region, year=period.year, month=period.number)
        created += 1
    return f"统计报表：{period.label}统计快照新增 {created} 个行政区划"
