"""Shared pieces of the flexible-employment pages: form field lists, the default map point and the error redirect."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError

STAFF = (Role.OFFICER, Role.SUPERVISOR)
GIG_FIELDS = (
    "job_type", "title", "content", "address", "latitude", "longitude", "region_code", "work_date", "start_time",
    "end_time", "pay", "pay_unit", "settlement", "headcount", "valid_until",
)  # fmt: skip
# Where the search starts when the visitor has not said: the centre of 成都市 (the demo city).
DEFAULT_POINT = (30.657, 104.066)


def _fail(request: HttpRequest, error: DomainError, to: str, **kwargs: Any) -> HttpResponseRedirect:
    messages.error(request, error.message)
    return HttpResponseRedirect(reverse(to, kwargs=kwargs or None))


REGISTRATION_FIELDS = ("basis", "since", "form", "employer_name", "commitment", "name", "id_number")
