"""Reads of the policies app: the catalogue listing and replaying stored decisions."""

from typing import Any

from chuangye.policies.catalogue import CATALOGUE
from chuangye.policies.decide import decide
from chuangye.policies.evaluate import Outcome
from chuangye.policies.facts import VOCABULARY
from chuangye.policies.models import Decision
from chuangye.policies.policy import Policy


def policy_summary(policy: Policy) -> dict[str, Any]:
    """What the catalogue says about a policy, for listings: identity, basis, facts read and criteria."""
    facts = [{"name": n, "label": VOCABULARY[n].label} for n in policy.facts]
    return {
        "code": policy.code,
        "title": policy.title,
        "plan": policy.plan,
        "plan_title": policy.plan_title,
        "legal_basis": list(policy.legal_basis),
        "facts": facts,
        "criteria": [{"code": c.code, "label": c.label} for c in policy.criteria],
        "amount_label": policy.amount_label,
        "notes": policy.notes,
    }


def policy_list() -> list[dict[str, Any]]:
    return [policy_summary(p) for p in CATALOGUE.values()]


def decision_replay(decision: Decision) -> Outcome:
    """Decide again from the record's facts, date and region, with parameters as known when it was recorded."""
    return decide(
        decision.policy_code,
        decision.facts,
        on=decision.on,
        region_code=decision.region_code,
        known_at=decision.created_at,
    )


def decision_reproduces(decision: Decision) -> bool:
    """True when replaying the record gives the same eligibility, amount, criteria and parameters."""
    body = decision_replay(decision).as_json()
    amount = None if decision.amount is None else f"{decision.amount:.2f}"
    stored = {
        "eligible": decision.eligible,
        "amount": amount,
        "criteria": decision.criteria,
        "parameters": decision.parameters,
    }
    return all(body[key] == value for key, value in stored.items())
