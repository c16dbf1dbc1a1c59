"""Workbench pages for people: a scoped, masked list and detail, and the audited reveal of one field."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from chuangye.accounts.access import roles
from chuangye.accounts.models import STAFF_ROLES
from chuangye.core.errors import FieldValueError
from chuangye.registry.access import access_person_by_id
from chuangye.registry.actions import REVEALABLE, person_reveal_field
from chuangye.registry.selectors import person_search


@roles(*STAFF_ROLES)
def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    people = person_search(user=request.user, query=query)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "workbench/people/list.html", {"page": page, "q": query})


@roles(*STAFF_ROLES)
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access_person_by_id(request.user, person_id)
    return render(request, "workbench/people/detail.html", {"person": person, "revealable": REVEALABLE})


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
