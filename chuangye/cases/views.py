"""Case pages: the citizen's progress page and the workbench queue, case page and supervisor view."""

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from chuangye.accounts.access import roles
from chuangye.accounts.models import STAFF_ROLES, Role
from chuangye.cases import actions, types
from chuangye.cases.access import access_case_by_id, cases_for
from chuangye.cases.models import Notice
from chuangye.cases.selectors import available_actions, case_queue, deadline_badge, office_stats
from chuangye.core.errors import DomainError
from chuangye.core.files import attachments_of

# Steps the engine itself records, besides each case type's own transitions.
ENGINE_ACTIONS = {
    "submit": "提交申请",
    "request_materials": "一次性告知需补正材料",
    "supplement": "补正材料",
    "withdraw_notice": "撤回补正告知",
    "extend": "延长办理时限",
    "assign": "分派承办人",
}


def _case_context(case: Any, user: Any) -> dict[str, Any]:
    case_type = types.get(case.case_type)
    return {
        "action_labels": ENGINE_ACTIONS | {t.action: t.label for t in case_type.transitions},
        "case": case,
        "case_type": case_type,
        "state_label": case_type.states[case.state],
        "mode_label": types.ServiceMode.LABELS.get(case.service_mode, ""),
        "events": case.events.select_related("actor"),
        "notices": case.notices.all(),
        "open_notice": Notice.objects.filter(
            case=case, round=case.notice_round, answered_at__isnull=True, withdrawn_at__isnull=True
        ).first(),
        "materials": attachments_of("case", case.pk),
        "badge": deadline_badge(case),
        "actions": available_actions(case, user),
        "payload_template": f"cases/payload/{case.case_type}.html",
        "final": case.state in case_type.final_states,
    }


# Citizen --------------------------------------------------------------------------------------------------------


@roles(Role.CITIZEN)
def my_cases(request: HttpRequest) -> HttpResponse:
    cases = cases_for(request.user).order_by("-submitted_at")
    rows = [(case, types.get(case.case_type)) for case in cases[:100]]
    return render(request, "cases/my_list.html", {"rows": rows})


@roles(Role.CITIZEN)
def my_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    context = _case_context(case, request.user)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "supplement":
                actions.case_answer_notice(
                    case=case, actor=request.user, answer=request.POST.get("answer", ""), request=request
                )
                _store_materials(case, request)
            else:
                actions.case_transition(
                    case=case,
                    action=request.POST.get("action", ""),
                    actor=request.user,
                    comment=request.POST.get("comment", ""),
                    request=request,
                )
        except DomainError as error:
            context["error"] = error.message
            return render(request, "cases/my_case.html", context, status=422)
        return redirect("cases_me:detail", case_id=case.pk)
    return render(request, "cases/my_case.html", context)


def _store_materials(case: Any, request: HttpRequest) -> None:
    from chuangye.core.files import attachment_create, check_file_count

    for upload in check_file_count(request.FILES.getlist("materials"), field="materials", label="补正材料"):
        attachment_create(
            upload=upload,
            object_type="case",
            object_id=case.pk,
            region_code=case.region_code,
            actor=request.user,
            field="materials",
            label="补正材料",
        )


# Workbench ------------------------------------------------------------------------------------------------------


@roles(*STAFF_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    filters = {k: request.GET.get(k, "") for k in ("state", "case_type", "flag")}
    cases = case_queue(user=request.user, mine=request.GET.get("mine") == "1", **filters)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    rows = [(case, types.get(case.case_type), deadline_badge(case)) for case in page]
    return render(
        request,
        "cases/queue.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "types": types.all_types(),
            "mine": request.GET.get("mine"),
            # The filters again, for the pager's links (the page number is added there).
            "query": urlencode({k: v for k, v in {**filters, "mine": request.GET.get("mine", "")}.items() if v}),
        },
    )


@roles(*STAFF_ROLES)
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case_by_id(request.user, case_id)
    context = _case_context(case, request.user)
    if request.method == "POST":
        try:
            _staff_act(request, case)
        except DomainError as error:
            context["error"] = error.message
            return render(request, "cases/case.html", context, status=error.status if error.status < 500 else 422)
        return redirect("workbench:case", case_id=case.pk)
    return render(request, "cases/case.html", context)


def _staff_act(request: HttpRequest, case: Any) -> None:
    action = request.POST.get("action", "")
    comment = request.POST.get("comment", "")
    version = int(request.POST.get("version") or case.version)
    if action == "request_materials":
        items = [
            {"item": i, "detail": d}
            for i, d in zip(request.POST.getlist("item"), request.POST.getlist("detail"), strict=False)
        ]
        actions.case_issue_notice(case=case, actor=request.user, items=items, expected_version=version, request=request)
    elif action == "withdraw_notice":
        actions.case_withdraw_notice(case=case, actor=request.user, reason=comment, request=request)
    elif action == "extend":
        actions.case_extend(case=case, actor=request.user, reason=comment, request=request)
    elif action == "claim":
        actions.case_assign(case=case, actor=request.user, assignee=request.user, request=request)
    else:
        actions.case_transition(
            case=case, action=action, actor=request.user, comment=comment, expected_version=version, request=request
        )


@roles(Role.SUPERVISOR)
def supervision(request: HttpRequest) -> HttpResponse:
    """Overdue cases and each office's on-time rate over the last 90 days."""
    since = timezone.now() - dt.timedelta(days=90)
    overdue = case_queue(user=request.user).filter(due_at__lt=timezone.now())[:200]
    rows = [(case, types.get(case.case_type)) for case in overdue]
    return render(
        request, "cases/supervision.html", {"rows": rows, "stats": office_stats(user=request.user, since=since)}
    )
