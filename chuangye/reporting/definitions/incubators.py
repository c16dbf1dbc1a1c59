"""KPIs of incubation: tenants in incubation, success rate and jobs."""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from chuangye.reporting.definitions.base import INCUBATORS_TOPIC, _count_of, _date, _masked_person
from chuangye.reporting.kpi import COUNT, KPI, RATE, Column, count, day_range, register

_TENANCY = ("in_incubation", "graduated", "exited")


def _in_incubation(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """The rule of ``incubators.rules.compute_indicators`` (tenants in incubation at any time in the period: moved
    in by its end, not moved out before its start), for any period."""
    from chuangye.incubators.models import Contract

    return Contract.objects.filter(
        Q(moved_out_on__isnull=True) | Q(moved_out_on__gte=start),
        moved_in_on__isnull=False,
        moved_in_on__lte=end,
        status__in=_TENANCY,
    ).select_related("carrier", "person")


def _ended(start: dt.date, end: dt.date) -> QuerySet[Any]:
    return _in_incubation(start, end).filter(day_range("moved_out_on", start, end))


_CONTRACT_COLUMNS = (
    Column("协议编号", lambda c: c.number),
    Column("孵化载体", lambda c: c.carrier.name),
    Column("入孵人", lambda c: _masked_person(c.person)),
    Column("入驻日期", lambda c: _date(c.moved_in_on)),
    Column("出孵日期", lambda c: _date(c.moved_out_on)),
    Column("状态", lambda c: c.get_status_display()),
    Column("带动就业", lambda c: c.jobs_created),
)
register(
    KPI(
        code="incubators.entities",
        label="在孵主体",
        topic=INCUBATORS_TOPIC,
        kind=COUNT,
        unit="户",
        formula="统计期内任一时间处于孵化期的入孵协议数（入驻日不晚于期末，且未在期初前出孵），按孵化载体所在地归属地区",
        sources=("incubators_contract", "incubators_carrier"),
        rows=_in_incubation,
        region="carrier__region_code",
        aggregates=_count_of(),
        columns=_CONTRACT_COLUMNS,
        order=50,
    )
)
register(
    KPI(
        code="incubators.success_rate",
        label="孵化成功率",
        topic=INCUBATORS_TOPIC,
        kind=RATE,
        unit="%",
        formula="统计期内出孵的入孵主体中，毕业出孵（非提前退出）的比例",
        sources=("incubators_contract", "incubators_carrier"),
        rows=_ended,
        region="carrier__region_code",
        aggregates=lambda: {"num": count("pk", filter=Q(status="graduated")), "den": count(), "n": count()},
        columns=_CONTRACT_COLUMNS,
        order=51,
    )
)
register(
    KPI(
        code="incubators.jobs",
        label="孵化带动就业",
        topic=INCUBATORS_TOPIC,
        kind=COUNT,
        unit="人",
        formula="统计期内在孵主体报告的带动就业人数之和",
        sources=("incubators_contract", "incubators_carrier"),
        rows=_in_incubation,
        region="carrier__region_code",
        aggregates=lambda: {"value": Coalesce(Sum("jobs_created"), 0), "n": count()},
        columns=_CONTRACT_COLUMNS,
        order=52,
    )
)
