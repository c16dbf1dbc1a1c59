"""Reporting over the API (mounted at /api/v1/reporting): the KPI definitions, the summary of a region and period,
the comparison of its sub-regions, and the public aggregate figures (no sign-in; small counts suppressed)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from chuangye.accounts.access import is_staff_role
from chuangye.accounts.api import require_scope
from chuangye.accounts.models import API_SCOPES
from chuangye.core.errors import FieldValueError
from chuangye.core.regions import significant_prefix
from chuangye.reporting import kpi as K
from chuangye.reporting import selectors
from chuangye.reporting.access import public_region, report_region
from chuangye.reporting.periods import current_month, parse_period

router = Router(tags=["统计报表"])
API_SCOPES.setdefault("reporting:read", "读取本辖区统计指标")


class KpiOut(Schema):
    code: str
    label: str
    topic: str
    kind: str
    unit: str
    formula: str
    sources: list[str]
    dimension: str


class FigureOut(Schema):
    code: str
    label: str
    unit: str
    kind: str
    value: str | None
    n: int
    year_to_date: str | None
    target: str | None


class SummaryOut(Schema):
    region_code: str
    region_name: str
    period: str
    period_label: str
    figures: list[FigureOut]


class RegionFigureOut(Schema):
    region_code: str
    region_name: str
    value: str | None
    n: int


class PublicFigureOut(Schema):
    code: str
    label: str
    topic: str
    unit: str
    value: str | None
    display: str
    suppressed: bool


def _staff(request: HttpRequest) -> Any:
    require_scope(request, "reporting:read")
    if not is_staff_role(request.user):
        raise PermissionDenied
    return request.user


def _period(text: str) -> Any:
    return parse_period(text) if text else current_month(timezone.localdate())


def _str(value: object) -> str | None:
    return None if value is None else str(value)


@router.get("/kpis", response=list[KpiOut], summary="统计指标定义（口径与数据来源）")
def kpis(request: HttpRequest) -> Any:
    _staff(request)
    return [
        KpiOut(
            code=k.code,
            label=k.label,
            topic=k.topic,
            kind=k.kind,
            unit=k.unit,
            formula=k.formula,
            sources=list(k.sources),
            dimension=k.dimension,
        )
        for k in K.all_kpis()
    ]


@router.get("/summary", response=SummaryOut, summary="本辖区（或下级地区）各项指标：本期、本年累计与年度目标")
def summary(request: HttpRequest, region: str = "", period: str = "") -> Any:
    user = _staff(request)
    where = report_region(user, region[:6])
    when = _period(period)
    return SummaryOut(
        region_code=where.code,
        region_name=where.full_name,
        period=when.code,
        period_label=when.label,
        figures=[
            FigureOut(
                code=r.kpi.code,
                label=r.kpi.label,
                unit=r.kpi.unit,
                kind=r.kpi.kind,
                value=_str(r.figure.value),
                n=r.figure.n,
                year_to_date=_str(r.year_to_date.value),
                target=_str(r.target),
            )
            for r in selectors.summary(where, when)
        ],
    )


@router.get("/comparison", response=list[RegionFigureOut], summary="某项指标的下级地区对比")
def comparison(request: HttpRequest, kpi: str, region: str = "", period: str = "") -> Any:
    user = _staff(request)
    where = report_region(user, region[:6])
    item = K.get(kpi)
    if item is None:
        raise FieldValueError("kpi", "指标", "不是已定义的统计指标")
    return [
        RegionFigureOut(region_code=sub.code, region_name=sub.name, value=_str(fig.value), n=fig.n)
        for sub, fig in selectors.comparison(where, _period(period), item)
    ]


@router.get("/public", response=list[PublicFigureOut], auth=None, summary="公开汇总数据（不含个人信息，少于5条不公开）")
def public_figures(request: HttpRequest, region: str = "", year: int = 0) -> Any:
    today = timezone.localdate()
    year = year or today.year
    if not 2000 <= year <= today.year:
        raise FieldValueError("year", "年度", "应为不晚于今年的四位年份")
    prefix = ""
    if region:
        found = public_region(region[:6])
        if found is None:
            raise Http404
        prefix = significant_prefix(found.code)
    return [
        PublicFigureOut(**{k: f[k] for k in PublicFigureOut.model_fields})
        for f in selectors.public_figures(prefix, year)
    ]
