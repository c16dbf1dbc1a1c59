"""The citizen's own record: keep education and employment current, declare key groups with evidence, and ask
for changes to the fields that decide identity and jurisdiction."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chuangye.accounts.access import roles
from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.registry.actions import (
    CHANGE_REQUEST_FIELDS,
    change_request_submit,
    key_group_declare,
    person_update_self,
)
from chuangye.registry.models import Education, Employment, KeyGroupCategory, KeyGroupStatus


def _own_person(request: HttpRequest) -> Any:
    return getattr(request.user, "person", None)


@roles(Role.CITIZEN)
def profile_edit(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    if person is None:
        return redirect("portal:me")
    context: dict[str, Any] = {"person": person, "educations": Education.choices, "employments": Employment.choices}
    if request.method == "POST":
        try:
            person_update_self(actor=request.user, person=person, data=request.POST.dict(), request=request)
        except DomainError as error:
            context["error"] = error.message
            return render(request, "portal/profile_edit.html", context, status=422)
        return redirect("portal:me")
    return render(request, "portal/profile_edit.html", context)


@roles(Role.CITIZEN)
def key_group_declare_view(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    if person is None:
        return redirect("portal:me")
    categories = KeyGroupCategory.objects.filter(is_active=True, province_code__in=["", person.region_code[:2]])
    context: dict[str, Any] = {"categories": categories}
    if request.method == "POST":
        try:
            key_group_declare(
                actor=request.user,
                person=person,
                category_code=request.POST.get("category", ""),
                declaration=request.POST.get("declaration", ""),
                evidence=request.FILES.getlist("evidence")[:5],
                request=request,
            )
        except DomainError as error:
            context["error"] = error.message
            return render(request, "portal/key_group_declare.html", context, status=422)
        return redirect("portal:me")
    return render(request, "portal/key_group_declare.html", context)


@roles(Role.CITIZEN)
def change_request_new(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    if person is None:
        return redirect("portal:me")
    context: dict[str, Any] = {"person": person, "fields": CHANGE_REQUEST_FIELDS}
    if request.method == "POST":
        try:
            change_request_submit(
                actor=request.user,
                person=person,
                changes={name: request.POST.get(name, "").strip() for name in CHANGE_REQUEST_FIELDS},
                reason=request.POST.get("reason", ""),
                request=request,
            )
        except DomainError as error:
            context["error"] = error.message
            return render(request, "portal/change_request.html", context, status=422)
        return redirect("portal:me")
    return render(request, "portal/change_request.html", context)


def my_statuses(person: Any) -> Any:
    return KeyGroupStatus.objects.filter(person=person).select_related("category").order_by("-declared_at")
