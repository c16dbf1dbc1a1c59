"""我能享受的政策: every personal policy decided for the signed-in citizen from their own records, today, in their
region, with the reason for each criterion and what is missing."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from chuangye.accounts.access import roles
from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.policies.catalogue import get_policy
from chuangye.policies.decide import decide
from chuangye.policies.resolver import snapshot_for
from chuangye.registry.facts import person_facts

# The policies a person (rather than an enterprise or a particular loan contract) can be decided for.
PERSONAL_POLICIES = (
    "loan.individual",
    "loan.counter_guarantee_waiver",
    "subsidy.startup_once",
    "subsidy.social_insurance",
)


def benefits_for(person: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    facts = person_facts(person, today)
    snapshot = snapshot_for(on=today, region_code=person.region_code)
    rows = []
    for code in PERSONAL_POLICIES:
        policy = get_policy(code)
        try:
            outcome = decide(code, facts, on=today, region_code=person.region_code, snapshot=snapshot)
        except DomainError as error:
            rows.append({"policy": policy, "error": error.message})
            continue
        missing = [c for c in outcome.criteria if not c.passed and "未提供" in c.reason]
        rows.append({"policy": policy, "outcome": outcome, "missing": missing})
    return rows


@roles(Role.CITIZEN)
def my_benefits(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    rows = benefits_for(person) if person is not None else []
    return render(request, "portal/benefits.html", {"rows": rows, "person": person, "today": timezone.localdate()})
