"""The periodic deadline sweep: flag cases due within one working day and overdue, and tell the people
responsible exactly once, however often it runs and on however many workers."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from chuangye.accounts.models import Role, User
from chuangye.cases import types
from chuangye.cases.deadlines import end_of_local_day
from chuangye.cases.models import Case
from chuangye.core.regions import in_scope
from chuangye.core.workdays import WorkCalendar
from chuangye.inbox.actions import notify


@dataclass
class SweepResult:
    due_soon: int = 0
    overdue: int = 0


def _responsible(case: Case) -> list[User]:
    people = [case.assignee] if case.assignee is not None else []
    supervisors = User.objects.filter(role=Role.SUPERVISOR, is_active=True)
    return people + [s for s in supervisors if in_scope(s.region_code, case.region_code)]


def open_cases_with_deadlines() -> QuerySet[Case]:
    finals = {code for t in types.all_types() for code in t.final_states}
    return Case.objects.filter(due_at__isnull=False).exclude(state__in=finals)


def mark_deadlines(region_prefix: str = "") -> SweepResult:
    """Idempotent: a case changes flag only through ``filter(flag=old).update(flag=new)`` that hits one row, and
    each message carries a dedupe key, so a second run (or a second worker) changes and sends nothing. With
    ``region_prefix``, only the cases of that region (one part of the job split by county, ``cases.jobs``)."""
    now = timezone.now()
    today = timezone.localdate()
    soon_limit = end_of_local_day(WorkCalendar().add_workdays(today, 1).date)
    open_cases = open_cases_with_deadlines().filter(region_code__startswith=region_prefix).select_related("assignee")
    result = SweepResult()
    for case in open_cases.filter(due_at__lte=soon_limit).exclude(deadline_flag="overdue").iterator():
        flag = "overdue" if case.due_at is not None and case.due_at < now else "due_soon"
        if flag == case.deadline_flag:
            continue
        with transaction.atomic():
            if Case.objects.filter(pk=case.pk, deadline_flag=case.deadline_flag).update(deadline_flag=flag) != 1:
                continue  # another worker got there first
            title = f"办件 {case.number} {'已超期' if flag == 'overdue' else '将于1个工作日内到期'}"
            for person in _responsible(case):
                notify(person, title, link=f"/workbench/cases/{case.pk}/", dedupe_key=f"case:{case.pk}:{flag}")
        setattr(result, flag, getattr(result, flag) + 1)
    return result
