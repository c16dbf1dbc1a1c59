"""Queues for case workers: key-group declarations to certify, and citizens' change requests with a diff."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chuangye.accounts.access import roles
from chuangye.accounts.models import STAFF_ROLES
from chuangye.core.errors import DomainError
from chuangye.registry.access import access_change_by_id, access_status_by_id, change_requests_for, statuses_for
from chuangye.registry.actions import CHANGE_REQUEST_FIELDS, change_request_decide, key_group_decide, key_group_revoke
from chuangye.registry.models import ChangeRequest, KeyGroupStatus


@roles(*STAFF_ROLES)
def key_group_queue(request: HttpRequest) -> HttpResponse:
    pending = (
        statuses_for(request.user)
        .filter(state=KeyGroupStatus.State.PENDING)
        .select_related("person", "category")
        .order_by("declared_at")
    )
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    return render(request, "workbench/certification/queue.html", {"page": page})


@roles(*STAFF_ROLES)
def key_group_detail(request: HttpRequest, status_id: int) -> HttpResponse:
    status = access_status_by_id(request.user, status_id)
    from chuangye.core.models import Attachment

    evidence = Attachment.objects.filter(object_type="key_group_status", object_id=str(status.pk))
    context = {"status": status, "evidence": evidence, "events": status.events.select_related("actor")}
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            note = request.POST.get("note", "")
            if action == "revoke":
                key_group_revoke(actor=request.user, status=status, note=note, request=request)
            else:
                key_group_decide(
                    actor=request.user,
                    status=status,
                    certify=action == "certify",
                    note=note,
                    valid_from=request.POST.get("valid_from"),
                    valid_to=request.POST.get("valid_to"),
                    request=request,
                )
        except DomainError as error:
            context["error"] = error.message
            return render(request, "workbench/certification/detail.html", context, status=422)
        return redirect("workbench:key_group_queue")
    return render(request, "workbench/certification/detail.html", context)


@roles(*STAFF_ROLES)
def change_queue(request: HttpRequest) -> HttpResponse:
    pending = (
        change_requests_for(request.user)
        .filter(state=ChangeRequest.State.PENDING)
        .select_related("person")
        .order_by("requested_at")
    )
    return render(
        request,
        "workbench/certification/changes.html",
        {"page": Paginator(pending, 50).get_page(request.GET.get("page"))},
    )


@roles(*STAFF_ROLES)
def change_detail(request: HttpRequest, change_id: int) -> HttpResponse:
    change = access_change_by_id(request.user, change_id)
    diff = [(CHANGE_REQUEST_FIELDS[name], old, new) for name, (old, new) in change.changes.items()]
    context = {"change": change, "diff": diff}
    if request.method == "POST":
        try:
            change_request_decide(
                actor=request.user,
                change=change,
                approve=request.POST.get("action") == "approve",
                note=request.POST.get("note", ""),
                request=request,
            )
        except DomainError as error:
            context["error"] = error.message
            return render(request, "workbench/certification/change.html", context, status=422)
        return redirect("workbench:change_queue")
    return render(request, "workbench/certification/change.html", context)
