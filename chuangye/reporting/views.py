"""Reporting pages, mounted at /reporting/: the dashboard of a region and period (summary with year to date and
targets, comparison of sub-regions, trend, breakdown, each exportable to Excel), the drill-down list behind a
figure, the monthly report, setting a target, and the public page of aggregate figures."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from chuangye.accounts.access import public, roles
from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.core.models import Region
from chuangye.core.regions import significant_prefix
from chuangye.reporting import actions, excel, selectors
from chuangye.reporting import kpi as K
from chuangye.reporting.access import public_region, report_region
from chuangye.reporting.models import MonthlySnapshot
from chuangye.reporting.periods import MONTH, Period, current_month, parse_period

STAFF = (Role.OFFICER, Role.SUPERVISOR)
DRILL_PAGE = 100


def _period(request: HttpRequest, errors: list[str]) -> Period:
    text = request.GET.get("period", "").strip()
    if not text:
        return current_month(timezone.localdate())
    try:
        return parse_period(text)
    except DomainError as error:
        errors.append(error.message)
        return current_month(timezone.localdate())


def _kpi(request: HttpRequest, errors: list[str]) -> K.KPI:
    code = request.GET.get("kpi", "").strip()
    found = K.get(code) if code else None
    if code and found is None:
        errors.append("「指标」不是已定义的统计指标")
    return found or K.all_kpis()[0]


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}.xlsx"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _url(name: str, **params: str) -> str:
    return reverse(name) + "?" + urlencode({k: v for k, v in params.items() if v})


@roles(*STAFF)
def dashboard(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    region = report_region(request.user, request.GET.get("region", ""))
    period = _period(request, errors)
    item = _kpi(request, errors)
    export = request.GET.get("export", "")
    if export == "summary":
        rows = selectors.summary(region, period)
        return _xlsx(
            excel.table_workbook(
                "指标汇总",
                ["类别", "指标", "单位", period.label, "本年累计", "年度目标", "完成进度"],
                [
                    [
                        r.kpi.topic,
                        r.kpi.label,
                        r.kpi.unit,
                        excel.cell_value(r.figure, r.kpi.kind),
                        excel.cell_value(r.year_to_date, r.kpi.kind),
                        float(r.target) if r.target is not None else None,
                        float(r.completion) if r.completion is not None else None,
                    ]
                    for r in rows
                ],
            ),
            f"{region.name}指标汇总{period.code}",
        )
    if export == "comparison":
        return _xlsx(
            excel.table_workbook(
                "分地区对比",
                ["行政区划代码", "名称", f"{item.label}（{item.unit}）", "记录数"],
                [
                    [sub.code, sub.name, excel.cell_value(fig, item.kind), fig.n]
                    for sub, fig in selectors.comparison(region, period, item)
                ],
            ),
            f"{region.name}{item.label}分地区{period.code}",
        )
    if export == "trend":
        return _xlsx(
            excel.table_workbook(
                "趋势",
                ["统计期", f"{item.label}（{item.unit}）", "记录数"],
                [
                    [p.label, excel.cell_value(fig, item.kind), fig.n]
                    for p, fig in selectors.trend(region, period, item)
                ],
            ),
            f"{region.name}{item.label}趋势{period.code}",
        )
    if export == "breakdown":
        return _xlsx(
            excel.table_workbook(
                "分类",
                [item.dimension or "分类", f"{item.label}（{item.unit}）", "记录数"],
                [
                    [label, excel.cell_value(fig, item.kind), fig.n]
                    for _, label, fig in selectors.breakdown(region, period, item)
                ],
            ),
            f"{region.name}{item.label}分类{period.code}",
        )
    summary = selectors.summary(region, period)
    comparison = selectors.comparison(region, period, item)
    trend = selectors.trend(region, period, item)
    breakdown = selectors.breakdown(region, period, item)
    base = {"region": region.code, "period": period.code, "kpi": item.code}
    chart = {
        "label": f"{item.label}（{item.unit}）",
        "rate": item.kind == K.RATE,
        "trend": {
            "periods": [p.label for p, _ in trend],
            "values": [_chart_value(fig) for _, fig in trend],
        },
        "comparison": {
            "regions": [sub.name for sub, _ in comparison],
            "values": [_chart_value(fig) for _, fig in comparison],
            "links": [_url("reporting:dashboard", **(base | {"region": sub.code})) for sub, _ in comparison],
        },
    }
    return render(
        request,
        "reporting/dashboard.html",
        {
            "region": region,
            "parent": region.parent if region.code != request.user.region_code else None,  # type: ignore[union-attr]
            "period": period,
            "item": item,
            "kpis": K.all_kpis(),
            "summary": summary,
            "comparison": [
                (sub, fig, fig.display(item.kind), _url("reporting:dashboard", **(base | {"region": sub.code})))
                for sub, fig in comparison
            ],
            "trend": [(p, fig.display(item.kind)) for p, fig in trend],
            "breakdown": [(dim, label, fig.display(item.kind)) for dim, label, fig in breakdown],
            "chart": json.dumps(chart, ensure_ascii=False),
            "errors": errors,
            "query": urlencode(base),
            "is_own_region": region.code == request.user.region_code,  # type: ignore[union-attr]
        },
    )


def _chart_value(figure: K.Figure) -> float | None:
    if figure.value is None:
        return None
    return float(figure.value)


@roles(*STAFF)
def drill(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    region = report_region(request.user, request.GET.get("region", ""))
    period = _period(request, errors)
    item = _kpi(request, errors)
    dimension = request.GET.get("dim", "").strip()[:100]
    rows = K.drill_rows(
        item, prefix=significant_prefix(region.code), start=period.start, end=period.end, dimension=dimension
    )
    headers = [c.header for c in item.columns]
    if request.GET.get("export") == "xlsx":
        return _xlsx(
            excel.table_workbook("明细", headers, ([c.get(r) for c in item.columns] for r in rows[:50000])),
            f"{region.name}{item.label}明细{period.code}",
        )
    page = Paginator(rows, DRILL_PAGE).get_page(request.GET.get("page"))
    table = [[c.get(r) for c in item.columns] for r in page.object_list]
    figure = K.total(item, prefix=significant_prefix(region.code), start=period.start, end=period.end)
    params = {"region": region.code, "period": period.code, "kpi": item.code, "dim": dimension}
    return render(
        request,
        "reporting/drill.html",
        {
            "region": region,
            "period": period,
            "item": item,
            "dimension": item.dimension_label(dimension) if dimension else "",
            "headers": headers,
            "table": table,
            "page": page,
            "figure": figure.display(item.kind),
            "errors": errors,
            "query": urlencode({k: v for k, v in params.items() if v}),
        },
    )


@roles(*STAFF)
def monthly(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    region = report_region(request.user, request.GET.get("region", ""))
    text = request.GET.get("month", "").strip()
    period = current_month(timezone.localdate()).previous()
    if text:
        try:
            period = parse_period(text, field="month")
            if period.kind != MONTH:
                raise DomainError("「月份」应为 YYYY-MM")
        except DomainError as error:
            errors.append(error.message)
            period = current_month(timezone.localdate()).previous()
    if request.GET.get("export") == "xlsx" and not errors:
        return _xlsx(excel.monthly_workbook(region, period), f"{region.name}统计月报{period.code}")
    snapshots = MonthlySnapshot.objects.filter(region_code=region.code).order_by("-year", "-month")[:24]
    return render(
        request,
        "reporting/monthly.html",
        {"region": region, "period": period, "snapshots": snapshots, "errors": errors, "kpis": K.all_kpis()},
    )


@roles(*STAFF)
@require_POST
def target_new(request: HttpRequest) -> HttpResponse:
    data = request.POST
    back = _url(
        "reporting:dashboard",
        region=data.get("region", ""),
        period=data.get("period", ""),
        kpi=data.get("kpi", ""),
    )
    try:
        actions.target_set(
            actor=request.user,
            region_code=data.get("region", ""),
            kpi_code=data.get("kpi", ""),
            year=data.get("year", ""),
            value=data.get("value", ""),
            request=request,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, "年度目标已保存")
    return redirect(back)


@public
def public_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    errors: list[str] = []
    region: Region | None = None
    code = request.GET.get("region", "").strip()
    if code:
        region = public_region(code)
        if region is None:
            errors.append("「地区」不是现行的行政区划代码")
    try:
        year = int(request.GET.get("year", "") or today.year)
        if not 2000 <= year <= today.year:
            raise ValueError
    except ValueError:
        errors.append("「年度」应为不晚于今年的四位年份")
        year = today.year
    figures = selectors.public_figures(significant_prefix(region.code) if region else "", year)
    provinces = Region.objects.filter(level="province").order_by("code")
    return render(
        request,
        "reporting/public.html",
        {
            "region": region,
            "year": year,
            "figures": figures,
            "errors": errors,
            "provinces": provinces,
            "children": selectors.children(region) if region else [],
            "threshold": selectors.SUPPRESS_BELOW,
        },
    )
