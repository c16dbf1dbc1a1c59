"""Reads for case queues, pages and the supervisor's view."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from chuangye.cases import types
from chuangye.cases.access import cases_for, roles_on_case
from chuangye.cases.models import Case
from chuangye.core.models import Region


def _final_states() -> set[str]:
    return {s for t in types.all_types() for s in t.final_states}


def case_queue(
    *, user: Any, state: str = "", case_type: str = "", mine: bool = False, flag: str = ""
) -> QuerySet[Case]:
    """Open cases in the user's offices, soonest deadline first."""
    cases = cases_for(user).exclude(state__in=_final_states()).select_related("assignee", "applicant_person")
    if state:
        cases = cases.filter(state=state)
    if case_type:
        cases = cases.filter(case_type=case_type)
    if mine:
        cases = cases.filter(assignee_id=user.pk)
    if flag:
        cases = cases.filter(deadline_flag=flag)
    return cases.order_by("due_at", "submitted_at")


def deadline_badge(case: Case) -> tuple[str, str]:
    """(css class, Chinese label) for a case's deadline: on time, due within one working day, overdue, paused."""
    if case.due_at is None:
        return ("paused", "时限暂停" if case.paused_remaining_workdays is not None else "—")
    if case.deadline_flag == "overdue" or case.due_at < timezone.now():
        return ("overdue", "已超期")
    if case.deadline_flag == "due_soon":
        return ("due-soon", "即将到期")
    return ("on-time", "正常")


@dataclass(frozen=True)
class OfficeStats:
    region: str
    name: str
    decided: int
    on_time: int
    overdue_open: int

    @property
    def on_time_rate(self) -> str:
        return f"{self.on_time * 100 / self.decided:.1f}%" if self.decided else "—"


def office_stats(*, user: Any, since: dt.datetime) -> list[OfficeStats]:
    """Per deciding office in the user's scope: cases decided since ``since``, how many within their time limit,
    and open cases already overdue."""
    cases = cases_for(user)
    finals = _final_states()
    now = timezone.now()
    rows = (
        cases.values("region_code")
        .annotate(
            decided=Count("id", filter=Q(decided_at__gte=since, due_at__isnull=False)),
            on_time=Count("id", filter=Q(decided_at__gte=since, due_at__isnull=False, decided_at__lte=F("due_at"))),
            overdue_open=Count("id", filter=Q(due_at__lt=now) & ~Q(state__in=finals)),
        )
        .order_by("region_code")
    )
    names = dict(Region.objects.filter(code__in=[r["region_code"] for r in rows]).values_list("code", "full_name"))
    return [
        OfficeStats(
            r["region_code"],
            names.get(r["region_code"], r["region_code"]),
            r["decided"],
            r["on_time"],
            r["overdue_open"],
        )
        for r in rows
    ]


def available_actions(case: Case, user: Any) -> list[types.Transition]:
    case_type = types.get(case.case_type)
    held = roles_on_case(case, user)
    return [t for t in case_type.available(case.state) if t.roles & held]
