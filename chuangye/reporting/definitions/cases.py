"""KPIs of government-service cases: received, decided, on time."""

import datetime as dt
from typing import Any

from django.db.models import F, Q, QuerySet

from chuangye.reporting.definitions.base import CASES_TOPIC, _count_of, _date
from chuangye.reporting.kpi import COUNT, KPI, RATE, Column, count, moment_range, register


def _case_type_label(code: str) -> str:
    from chuangye.cases import types

    try:
        return types.get(code).title
    except Exception:  # a type no longer registered: show its code
        return code


_CASE_COLUMNS = (
    Column("办件编号", lambda c: c.number),
    Column("事项", lambda c: _case_type_label(c.case_type)),
    Column("办理地", lambda c: c.region_code),
    Column("提交日期", lambda c: _date(c.submitted_at)),
    Column("办结日期", lambda c: _date(c.decided_at)),
    Column("办结时限", lambda c: _date(c.due_at)),
)


def _cases_received(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.cases.models import Case

    return Case.objects.filter(moment_range("submitted_at", start, end))


def _cases_decided(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.cases.models import Case

    return Case.objects.filter(moment_range("decided_at", start, end))


def _cases_with_limit(start: dt.date, end: dt.date) -> QuerySet[Any]:
    return _cases_decided(start, end).filter(due_at__isnull=False)


for _code, _label, _rows, _formula, _order in (
    ("cases.received", "受理办件", _cases_received, "统计期内提交的办件数，按办理地归属地区", 20),
    ("cases.decided", "办结办件", _cases_decided, "统计期内办结（作出最终决定）的办件数，按办理地归属地区", 21),
):
    register(
        KPI(
            code=_code,
            label=_label,
            topic=CASES_TOPIC,
            kind=COUNT,
            unit="件",
            formula=_formula,
            sources=("cases_case",),
            rows=_rows,
            region="region_code",
            aggregates=_count_of(),
            dimension="事项",
            dimension_field="case_type",
            dimension_label=_case_type_label,
            columns=_CASE_COLUMNS,
            order=_order,
        )
    )

register(
    KPI(
        code="cases.on_time_rate",
        label="按时办结率",
        topic=CASES_TOPIC,
        kind=RATE,
        unit="%",
        formula="统计期内办结且有法定办结时限的办件中，办结时间不晚于办结时限（含补正暂停后顺延）的比例",
        sources=("cases_case",),
        rows=_cases_with_limit,
        region="region_code",
        aggregates=lambda: {
            "num": count("pk", filter=Q(decided_at__lte=F("due_at"))),
            "den": count("pk"),
            "n": count("pk"),
        },
        dimension="事项",
        dimension_field="case_type",
        dimension_label=_case_type_label,
        columns=_CASE_COLUMNS,
        order=22,
    )
)
