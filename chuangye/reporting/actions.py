"""The two writes of reporting: storing a month's snapshot for a region (the monthly job), and setting a target."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.access import require_role
from chuangye.accounts.models import STAFF_ROLES, Role, User
from chuangye.core.audit import record_event
from chuangye.core.errors import FieldValueError
from chuangye.core.models import Region
from chuangye.core.regions import significant_prefix
from chuangye.reporting import kpi as K
from chuangye.reporting.access import report_region
from chuangye.reporting.models import MonthlySnapshot, Target
from chuangye.reporting.periods import MONTH, Period


@transaction.atomic
def snapshot_month(*, region: Region, year: int, month: int, actor: Any = None) -> MonthlySnapshot:
    """Compute every KPI of the region for the month and the year to its end, and store them (replacing an earlier
    snapshot of the same region and month: running the job twice leaves one row with the same figures)."""
    period = Period(MONTH, year, month)
    prefix = significant_prefix(region.code)
    ytd_start, ytd_end = period.year_to_date()
    values, ytd = {}, {}
    for item in K.all_kpis():
        values[item.code] = K.total(item, prefix=prefix, start=period.start, end=period.end).as_json()
        ytd[item.code] = K.total(item, prefix=prefix, start=ytd_start, end=ytd_end).as_json()
    snapshot, created = MonthlySnapshot.objects.update_or_create(
        region_code=region.code,
        year=year,
        month=month,
        defaults={"values": values, "year_to_date": ytd, "computed_at": timezone.now()},
    )
    record_event(
        "reporting.snapshot_stored",
        actor=actor,
        object_type="reporting.MonthlySnapshot",
        object_id=snapshot.pk,
        region_code=region.code,
        details={"period": period.code, "replaced": not created},
    )
    return snapshot


def bureau_regions() -> list[Region]:
    """The regions that have a bureau on the platform (a staff account), with every region above them: the
    regions the monthly job reports for."""
    codes = set(
        User.objects.filter(role__in=STAFF_ROLES, is_active=True)
        .exclude(region_code="")
        .values_list("region_code", flat=True)
    )
    wanted = set()
    for region in Region.objects.filter(code__in=codes).select_related("parent__parent"):
        node: Region | None = region
        while node is not None:
            wanted.add(node.code)
            node = node.parent
    return list(Region.objects.filter(code__in=wanted).order_by("code"))


def monthly_job(year: int, month: int) -> int:
    """Snapshots of the month for every bureau region. Returns the number of regions."""
    regions = bureau_regions()
    for region in regions:
        snapshot_month(region=region, year=year, month=month)
    return len(regions)


@transaction.atomic
def target_set(
    *, actor: Any, region_code: str, kpi_code: str, year: object, value: object, request: HttpRequest | None = None
) -> Target:
    """A bureau sets its own region's annual target for a KPI (rates as a percentage, e.g. 95 for 95 %)."""
    require_role(actor, {Role.OFFICER, Role.SUPERVISOR})
    region = report_region(actor, region_code)
    if region.code != actor.region_code:
        raise FieldValueError("region", "行政区划", "只能设定本级行政区划的目标")
    item = K.get(str(kpi_code or ""))
    if item is None:
        raise FieldValueError("kpi", "指标", "不是已定义的统计指标")
    try:
        year_n = int(str(year).strip())
    except ValueError:
        raise FieldValueError("year", "年度", "应为四位年份") from None
    if not 2000 <= year_n <= 2100:
        raise FieldValueError("year", "年度", "应为四位年份")
    text = str(value or "").strip().replace(",", "")
    try:
        amount = Decimal(text)
    except ArithmeticError:
        raise FieldValueError("value", "目标值", "应为数字") from None
    if not amount.is_finite() or amount < 0:
        raise FieldValueError("value", "目标值", "应为不小于零的数字")
    if amount != amount.quantize(Decimal("0.01")):
        raise FieldValueError("value", "目标值", "最多保留两位小数")
    if item.kind == K.RATE:
        if amount > 100:
            raise FieldValueError("value", "目标值", "比率目标应在 0 到 100（%）之间")
        amount = amount / 100
    elif item.kind == K.COUNT and amount != amount.to_integral_value():
        raise FieldValueError("value", "目标值", "人数、件数等目标应为整数")
    if amount >= Decimal("1e14"):
        raise FieldValueError("value", "目标值", "过大")
    target = Target.objects.create(
        kpi_code=item.code,
        region_code=region.code,
        year=year_n,
        value=amount.quantize(Decimal("0.0001")) if item.kind == K.RATE else amount,
        set_by=actor,
    )
    record_event(
        "reporting.target_set",
        actor=actor,
        object_type="reporting.Target",
        object_id=target.pk,
        region_code=region.code,
        details={"kpi": item.code, "year": year_n, "value": str(target.value)},
        request=request,
    )
    return target


def today() -> dt.date:
    return timezone.localdate()
