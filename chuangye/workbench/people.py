"""Workbench pages for people: scoped, masked list with filters; registration with duplicate checks; the person page;
the audited reveal of one field."""

from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chuangye.accounts.access import roles, signed_in
from chuangye.accounts.models import STAFF_ROLES
from chuangye.cases import types as case_types
from chuangye.cases.access import cases_for
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.files import access_attachment_by_id
from chuangye.core.regions import in_scope
from chuangye.registry.access import access_person_by_id
from chuangye.registry.actions import REVEALABLE, DuplicatePersonError, person_create, person_reveal_field
from chuangye.registry.models import Education, Employment, KeyGroupCategory, KeyGroupStatus
from chuangye.registry.selectors import person_search

PERSON_FIELDS = (
    "name",
    "id_number",
    "phone",
    "hukou_region_code",
    "region_code",
    "education",
    "school",
    "graduation_date",
    "employment",
)


def _groups() -> list[tuple[str, str]]:
    return list(KeyGroupCategory.objects.filter(province_code="").values_list("fact", "name"))


@roles(*STAFF_ROLES)
def person_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("q", "region_code", "group")}
    people = person_search(
        user=request.user, query=filters["q"], region_code=filters["region_code"], group=filters["group"]
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request, "workbench/people/list.html", {"page": page, "filters": filters, "groups": _groups(), "query": query}
    )


@roles(*STAFF_ROLES)
def person_new(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "educations": Education.choices,
        "employments": Employment.choices,
        "data": {"region_code": getattr(request.user, "region_code", "")},
    }
    if request.method == "POST":
        data = {key: request.POST.get(key, "") for key in PERSON_FIELDS}
        context["data"] = data
        try:
            created = person_create(
                actor=request.user,
                data=data,  # type: ignore[arg-type]
                confirm_similar=request.POST.get("confirm_similar") == "1",
                request=request,
            )
        except DuplicatePersonError as error:
            context["error"] = error.message
            if in_scope(request.user.region_code, error.existing.region_code):  # type: ignore[union-attr]
                context["existing_url"] = reverse("workbench:person_detail", args=[error.existing.pk])
            else:
                context["error"] += "（该人员常住地不在您的管辖范围内，请联系其常住地经办机构）"
        except DomainError as error:
            context["error"] = error.message
            context["needs_confirmation"] = error.code == "similar_person"
            context["field_errors"] = {e.field: e.message for e in error.errors}
        else:
            return redirect("workbench:person_detail", person_id=created.person.pk)
    return render(request, "workbench/people/new.html", context)


@roles(*STAFF_ROLES)
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access_person_by_id(request.user, person_id)
    statuses = (
        KeyGroupStatus.objects.filter(person=person).select_related("category", "decided_by").prefetch_related("events")
    )
    founded = person.founded.select_related("business")
    cases = [
        (case, case_types.get(case.case_type)) for case in cases_for(request.user).filter(applicant_person=person)[:20]
    ]
    return render(
        request,
        "workbench/people/detail.html",
        {
            "person": person,
            "revealable": REVEALABLE,
            "statuses": statuses,
            "founded": founded,
            "changes": person.change_requests.all()[:10],
            "cases": cases,
        },
    )


@roles(*STAFF_ROLES)
@require_POST
def person_reveal(request: HttpRequest, person_id: int) -> HttpResponse:
    """htmx: replaces the masked value with the full one, after recording who looked and why."""
    person = access_person_by_id(request.user, person_id)
    field = request.POST.get("field", "")
    try:
        value = person_reveal_field(
            actor=request.user, person=person, field=field, reason=request.POST.get("reason", ""), request=request
        )
    except FieldValueError as error:
        return render(request, "workbench/people/reveal.html", {"error": error.message}, status=422)
    return render(request, "workbench/people/reveal.html", {"value": value, "field": field})


@signed_in
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """Evidence files: visible exactly when their object is; always downloaded, never rendered in the browser."""
    attachment = access_attachment_by_id(request.user, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
