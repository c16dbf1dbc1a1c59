"""Reads for the dashboards, workbooks and API: the summary of every KPI for a region and period (with the year to
date and the target), the comparison of sub-regions, trends, breakdowns and the public figures."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chuangye.core.models import Region
from chuangye.core.regions import significant_prefix
from chuangye.reporting import kpi as K
from chuangye.reporting.models import Target
from chuangye.reporting.periods import Period

SUPPRESS_BELOW = 5


@dataclass(frozen=True)
class SummaryRow:
    kpi: K.KPI
    figure: K.Figure
    year_to_date: K.Figure
    target: Decimal | None

    @property
    def display(self) -> str:
        return self.figure.display(self.kpi.kind)

    @property
    def ytd_display(self) -> str:
        return self.year_to_date.display(self.kpi.kind)

    @property
    def target_display(self) -> str:
        if self.target is None:
            return ""
        return f"{self.target * 100:.1f}%" if self.kpi.kind == K.RATE else f"{self.target:,.2f}".rstrip("0").rstrip(".")

    @property
    def completion(self) -> Decimal | None:
        """Year to date ÷ target (for rates: the rate itself ÷ the target rate)."""
        if not self.target or self.year_to_date.value is None:
            return None
        return (Decimal(self.year_to_date.value) / self.target).quantize(Decimal("0.0001"))

    @property
    def completion_display(self) -> str:
        value = self.completion
        return "" if value is None else f"{value * 100:.1f}%"


def targets_for(region_code: str, year: int) -> dict[str, Decimal]:
    """The latest target of each KPI set for this region and year (one query)."""
    found: dict[str, Decimal] = {}
    for code, value in (
        Target.objects.filter(region_code=region_code, year=year)
        .order_by("kpi_code", "-set_at", "-id")
        .values_list("kpi_code", "value")
    ):
        found.setdefault(code, value)
    return found


def summary(region: Region, period: Period, kpis: list[K.KPI] | None = None) -> list[SummaryRow]:
    """Every KPI for the region (its counties included) in the period and in the year to its end: two queries a
    KPI plus one for the targets."""
    prefix = significant_prefix(region.code)
    ytd_start, ytd_end = period.year_to_date()
    targets = targets_for(region.code, period.year)
    rows = []
    for item in kpis or K.all_kpis():
        figure = K.total(item, prefix=prefix, start=period.start, end=period.end)
        ytd = figure if period.kind == "year" else K.total(item, prefix=prefix, start=ytd_start, end=ytd_end)
        rows.append(SummaryRow(item, figure, ytd, targets.get(item.code)))
    return rows


def children(region: Region) -> list[Region]:
    return list(Region.objects.filter(parent=region).order_by("code"))


def comparison(
    region: Region, period: Period, item: K.KPI, subs: list[Region] | None = None
) -> list[tuple[Region, K.Figure]]:
    """The KPI for each sub-region (cities of a province, counties of a city): one query grouped by code prefix
    when the sub-regions share a prefix length, else one query each (provinces with directly administered
    counties)."""
    subs = children(region) if subs is None else subs
    if not subs:
        return []
    lengths = {len(significant_prefix(sub.code)) for sub in subs}
    prefix = significant_prefix(region.code)
    if len(lengths) == 1:
        length = lengths.pop()
        grouped = K.compute(item, prefix=prefix, start=period.start, end=period.end, group_len=length)
        empty = item.finish({})
        return [(sub, grouped.get((sub.code[:length], ""), empty)) for sub in subs]
    return [
        (sub, K.total(item, prefix=significant_prefix(sub.code), start=period.start, end=period.end)) for sub in subs
    ]


def trend(region: Region, period: Period, item: K.KPI) -> list[tuple[Period, K.Figure]]:
    prefix = significant_prefix(region.code)
    return [(p, K.total(item, prefix=prefix, start=p.start, end=p.end)) for p in period.trend()]


def breakdown(region: Region, period: Period, item: K.KPI) -> list[tuple[str, str, K.Figure]]:
    """(raw value, label, figure) for each value of the KPI's dimension, largest first."""
    if not item.dimension_field:
        return []
    found = K.compute(
        item, prefix=significant_prefix(region.code), start=period.start, end=period.end, by_dimension=True
    )
    rows = [(dim, item.dimension_label(dim), figure) for (_, dim), figure in found.items()]
    return sorted(rows, key=lambda r: (-(r[2].value or 0), r[1]))


def public_figures(prefix: str, year: int) -> list[dict[str, Any]]:
    """The public KPIs of a year for a region prefix ("" for the whole country), with every figure built on fewer
    than five records withheld (shown as "<5" for counts, "—" for amounts and rates)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    result = []
    for item in K.all_kpis():
        if not item.public:
            continue
        figure = K.total(item, prefix=prefix, start=start, end=end)
        suppressed = 0 < figure.n < SUPPRESS_BELOW
        shown = ("<5" if item.kind == K.COUNT else "—") if suppressed else figure.display(item.kind)
        result.append(
            {
                "code": item.code,
                "label": item.label,
                "topic": item.topic,
                "unit": item.unit,
                "formula": item.formula,
                "value": None if suppressed else (None if figure.value is None else str(figure.value)),
                "display": shown,
                "suppressed": suppressed,
            }
        )
    return result
