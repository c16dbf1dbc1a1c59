"""Who sees which case, and which roles an actor holds on a case.

Citizens see the cases they submitted; staff see cases decided or accepted in their region (异地可办: both offices);
partners see the cases their organisation takes part in, through filters the partner apps register.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from chuangye.accounts.access import region_filter
from chuangye.accounts.models import Role
from chuangye.cases import types
from chuangye.cases.models import Case
from chuangye.core.regions import in_scope

# Apps whose partners act on cases (banks on loans, institutions on classes) add a function user → Q here…
PARTNER_FILTERS: list[Callable[[Any], Q | None]] = []
# …and a function (case, actor) → the extra engine roles the actor holds on that case (e.g. "bank", "guarantor"),
# which case types then name in their transitions like any other role.
ROLE_PROVIDERS: list[Callable[[Case, Any], set[str]]] = []


def cases_for(user: Any) -> QuerySet[Case]:
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    if user.role == Role.CITIZEN:
        return Case.objects.filter(applicant_user=user)
    deciding = region_filter(user, "region_code")
    if deciding is not None:
        accepting = region_filter(user, "accepting_region")
        return Case.objects.filter(deciding | accepting) if accepting is not None else Case.objects.filter(deciding)
    partner_q = [q for q in (f(user) for f in PARTNER_FILTERS) if q is not None]
    if partner_q:
        combined = partner_q[0]
        for q in partner_q[1:]:
            combined |= q
        return Case.objects.filter(combined)
    return Case.objects.none()


def access_case_by_id(user: Any, case_id: object) -> Case:
    try:
        return cases_for(user).get(pk=int(str(case_id)))
    except (Case.DoesNotExist, ValueError):
        raise Http404("记录不存在或无权访问") from None


def roles_on_case(case: Case, actor: Any) -> set[str]:
    """The engine's roles (types.APPLICANT, OFFICER, …) that ``actor`` holds on ``case``."""
    held: set[str] = set()
    if actor is None or not getattr(actor, "is_authenticated", False):
        return held
    if actor.pk == case.applicant_user_id:
        held.add(types.APPLICANT)
    if actor.role in (Role.OFFICER, Role.SUPERVISOR):
        if in_scope(actor.region_code, case.region_code):
            held.add(types.OFFICER)
            if actor.role == Role.SUPERVISOR:
                held.add(types.SUPERVISOR)
        if in_scope(actor.region_code, case.accepting_region):
            held.add(types.ACCEPTING_OFFICER)
    for provider in ROLE_PROVIDERS:
        held |= provider(case, actor)
    return held
