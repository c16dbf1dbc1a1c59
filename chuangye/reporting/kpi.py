"""The KPI framework: what a KPI is, how one is computed for a region and a period, and the registry.

A KPI is declared once (in ``definitions/``, one module per topic) as the rows it counts (``rows(start, end)``: a
queryset of one model, the period applied), the field that places a row in a region (``region``), the aggregates of
those rows, and how the aggregates become a figure. Everything else (dashboards, comparisons, trends, drill-down,
Excel, the monthly snapshot, the public page, the API) is generic over the registry, so a new KPI is one more
declaration.

Region roll-up is the prefix rule of ``chuangye.core.regions``: a city's figure counts the rows of all its
counties, a province's those of all its cities and counties. A comparison of sub-regions is one query grouped by
the first ``group_len`` digits of the region code. Every figure carries ``n``, the number of records behind it
(the denominator's for a rate or ratio): the public page suppresses figures with ``n`` below five. A rate is a
fraction shown as a percentage; a ratio (RATIO: 求人倍率, jobs per 10,000 yuan lent) is a plain quotient shown
with two decimals.

Money is summed as whole 分 in the database (SQLite would otherwise add decimals as floating point), then turned
back into Decimal yuan.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Count, Expression, F, Q, QuerySet, Sum
from django.db.models.functions import Cast, Coalesce, Round, Substr
from django.utils import timezone

from chuangye.core.money import FEN

COUNT, MONEY, RATE, RATIO = "count", "money", "rate", "ratio"


@dataclass(frozen=True)
class Figure:
    """One KPI value: an int for counts, Decimal yuan for money, a Decimal fraction (0–1) for rates, a Decimal
    quotient to two decimals for ratios such as the 求人倍率 (None when there is nothing to divide by). ``n`` is the
    number of records behind it."""

    value: int | Decimal | None
    n: int

    def display(self, kind: str) -> str:
        if self.value is None:
            return "—"
        if kind == RATE:
            return f"{self.value * 100:.1f}%"
        if kind in (MONEY, RATIO):
            return f"{self.value:,.2f}"
        return f"{self.value:,}"

    def as_json(self) -> dict[str, Any]:
        return {"value": None if self.value is None else str(self.value), "n": self.n}


EMPTY = Figure(0, 0)


@dataclass(frozen=True)
class Column:
    header: str
    get: Callable[[Any], object]


@dataclass(frozen=True)
class KPI:
    code: str
    label: str
    topic: str  # the programme area, e.g. "创业担保贷款"
    kind: str  # COUNT, MONEY, RATE or RATIO
    unit: str  # 人, 户, 件, 元, %
    formula: str  # the definition in words, shown on the pages and in the workbook
    sources: tuple[str, ...]  # the tables it reads
    rows: Callable[[dt.date, dt.date], QuerySet[Any]]  # the records of a period (inclusive dates)
    region: str  # the field holding the region code of a row
    # Aggregates: "n" (records) always; "value" for counts and money; "num"/"den" for rates.
    aggregates: Callable[[], dict[str, Any]]
    dimension: str = ""  # the breakdown's name, e.g. "重点群体"; "" when there is none
    dimension_field: str = ""
    dimension_label: Callable[[str], str] = str
    columns: tuple[Column, ...] = ()  # drill-down columns (masked)
    public: bool = True  # shown on the public page (with small counts suppressed)
    order: int = 100
    notes: tuple[str, ...] = field(default=())

    def finish(self, row: dict[str, Any]) -> Figure:
        n = int(row.get("n") or 0)
        if self.kind in (RATE, RATIO):
            num, den = row.get("num") or 0, row.get("den") or 0
            if not den:
                return Figure(None, n)
            places = Decimal("0.0001") if self.kind == RATE else Decimal("0.01")
            return Figure((Decimal(num) / Decimal(den)).quantize(places), n)
        if self.kind == MONEY:
            return Figure((Decimal(int(row.get("value") or 0)) * FEN).quantize(FEN), n)
        return Figure(int(row.get("value") or 0), n)


_REGISTRY: dict[str, KPI] = {}


def register(kpi: KPI) -> KPI:
    if kpi.code in _REGISTRY and _REGISTRY[kpi.code] != kpi:
        raise ValueError(f"KPI {kpi.code} is already defined")
    if kpi.kind not in (COUNT, MONEY, RATE, RATIO):
        raise ValueError(f"KPI {kpi.code}: unknown kind {kpi.kind}")
    _REGISTRY[kpi.code] = kpi
    return kpi


def all_kpis() -> list[KPI]:
    from chuangye.reporting import definitions  # noqa: F401 - fills the registry

    return sorted(_REGISTRY.values(), key=lambda k: (k.order, k.code))


def get(code: str) -> KPI | None:
    from chuangye.reporting import definitions  # noqa: F401

    return _REGISTRY.get(code)


# Aggregate helpers ---------------------------------------------------------------------------------------------


def fen_sum(expression: str | Expression) -> Any:
    """The sum of a money column as whole 分 (an exact integer on every database)."""
    source = F(expression) if isinstance(expression, str) else expression
    return Coalesce(Sum(Cast(Round(source * 100), BigIntegerField())), 0)


def count(field_name: str = "pk", *, distinct: bool = False, filter: Q | None = None) -> Any:
    return Count(field_name, distinct=distinct, filter=filter)


def day_range(field_name: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lte": end})


def moment_range(field_name: str, start: dt.date, end: dt.date) -> Q:
    """Datetimes whose local (Asia/Shanghai) date lies in [start, end]."""
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return Q(**{f"{field_name}__gte": low, f"{field_name}__lt": high})


# Computation ---------------------------------------------------------------------------------------------------


def scoped_rows(kpi: KPI, prefix: str, start: dt.date, end: dt.date) -> QuerySet[Any]:
    rows = kpi.rows(start, end)
    if prefix:
        rows = rows.filter(**{f"{kpi.region}__startswith": prefix})
    return rows


def compute(
    kpi: KPI,
    *,
    prefix: str,
    start: dt.date,
    end: dt.date,
    group_len: int = 0,
    by_dimension: bool = False,
) -> dict[tuple[str, str], Figure]:
    """The KPI over the rows under region ``prefix`` in [start, end], in one query.

    Keys are (region group, dimension value): the group is the first ``group_len`` digits of the region code (""
    when not grouped), the dimension value "" when not broken down."""
    rows = scoped_rows(kpi, prefix, start, end)
    keys: list[str] = []
    if group_len:
        rows = rows.annotate(_group=Substr(kpi.region, 1, group_len))
        keys.append("_group")
    if by_dimension and kpi.dimension_field:
        rows = rows.annotate(_dim=F(kpi.dimension_field))
        keys.append("_dim")
    if not keys:
        return {("", ""): kpi.finish(rows.aggregate(**kpi.aggregates()))}
    result = {}
    for row in rows.values(*keys).annotate(**kpi.aggregates()).order_by():
        key = (row.get("_group") or "", str(row.get("_dim") or "") if "_dim" in keys else "")
        result[key] = kpi.finish(row)
    return result


def total(kpi: KPI, *, prefix: str, start: dt.date, end: dt.date) -> Figure:
    return compute(kpi, prefix=prefix, start=start, end=end)[("", "")]


def drill_rows(kpi: KPI, *, prefix: str, start: dt.date, end: dt.date, dimension: str = "") -> QuerySet[Any]:
    """The records behind a figure, for the drill-down list (the caller checks the scope)."""
    rows = scoped_rows(kpi, prefix, start, end)
    if dimension and kpi.dimension_field:
        # Through an annotation, as ``compute`` groups: the breakdown reuses the join of the KPI's own filter (for
        # new founders, the status in force), so the list behind a group's figure is exactly that figure's rows.
        rows = rows.annotate(_dim=F(kpi.dimension_field)).filter(_dim=dimension)
    return rows.distinct().order_by("-pk")


def codes(kpis: Iterable[KPI]) -> list[str]:
    return [k.code for k in kpis]
