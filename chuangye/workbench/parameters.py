"""Policy parameters for a supervisor's region: the values in force and their sources, regional overrides with a
document number (audited), and what-if: how many people in the region would gain or lose eligibility, and the
change in cost, if a parameter changed, computed without saving anything."""

import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from chuangye.accounts.access import roles
from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.core.regions import in_scope
from chuangye.policies.actions import parameter_override_create
from chuangye.policies.batch import facts_frame
from chuangye.policies.catalogue import CATALOGUE
from chuangye.policies.facts import KEY_GROUPS
from chuangye.policies.params import display_value, national_parameters
from chuangye.policies.resolver import snapshot_for
from chuangye.policies.whatif import what_if
from chuangye.registry.access import people_for
from chuangye.registry.facts import people_facts

WHAT_IF_LIMIT = 200_000  # people: a county or a city; a province runs the batch tool instead


def _rows(snapshot: Any) -> list[dict[str, Any]]:
    rows = []
    for name, (spec, _entries) in sorted(national_parameters().items()):
        entry = snapshot.entry(name)
        rows.append(
            {
                "name": name,
                "label": spec.label,
                "unit": spec.unit,
                "overridable": spec.overridable,
                "value": _shown(spec, entry.value) if entry else "（未设置）",
                "source": (entry.document if entry else "本地区尚未设定"),
            }
        )
    return rows


@roles(Role.SUPERVISOR)
def parameters(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    context: dict[str, Any] = {"region": user.region_code, "today": today}
    if request.method == "POST":
        region = request.POST.get("region_code", "").strip() or user.region_code
        try:
            if not in_scope(user.region_code, region):
                raise PermissionDenied
            parameter_override_create(
                actor=user,
                name=request.POST.get("name", ""),
                region_code=region,
                value=request.POST.get("value", ""),
                effective_from=request.POST.get("effective_from", ""),
                document_number=request.POST.get("document_number", ""),
                request=request,
            )
        except DomainError as error:
            context["error"] = error.message
        else:
            return redirect("workbench:parameters")
    context["rows"] = _rows(snapshot_for(on=today, region_code=user.region_code))
    return render(request, "workbench/parameters.html", context, status=422 if "error" in context else 200)


@roles(Role.SUPERVISOR)
def whatif(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    context: dict[str, Any] = {
        "policies": CATALOGUE.values(),
        "params": sorted(national_parameters().items()),
        "data": request.GET,
    }
    if request.GET.get("policy") and request.GET.get("name"):
        try:
            context.update(_run(user, today, request.GET))
        except (DomainError, KeyError) as error:
            context["error"] = getattr(error, "message", "请选择政策和参数")
    return render(request, "workbench/whatif.html", context)


def _run(user: Any, today: Any, query: Any) -> dict[str, Any]:
    policy = CATALOGUE[query["policy"]]
    base = snapshot_for(on=today, region_code=user.region_code)
    changed = base.with_value(query["name"], query.get("value", ""))
    people = list(people_for(user).filter(anonymised_at__isnull=True)[:WHAT_IF_LIMIT])
    facts = people_facts(people, today)
    frame = facts_frame(facts[p.pk] for p in people)
    table = what_if(frame, policy, base, changed, by="key_groups")
    rows = [
        {
            **row,
            "group": KEY_GROUPS.get(row["key_groups"] or "", "未认定群体"),
            "cost_change": Decimal(row["cost_change_fen"]) / 100,
        }
        for row in table.iter_rows(named=True)
    ]
    chart = {
        "groups": [r["group"] for r in rows],
        "gained": [r["gained"] for r in rows],
        "lost": [r["lost"] for r in rows],
    }
    totals = {k: sum(r[k] for r in rows) for k in ("gained", "lost")}
    return {
        "rows": rows,
        "chart": json.dumps(chart, ensure_ascii=False),
        "people": len(people),
        "totals": totals,
        "policy": policy,
    }


def _shown(spec: Any, value: Any) -> Any:
    """What staff read: a flag as 是/否, everything else in its JSON form."""
    return ("是" if value else "否") if spec.type == "flag" else display_value(spec, value)
