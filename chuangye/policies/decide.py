"""Deciding a policy for given facts, as the command, the API and the platform's cases call it."""

import datetime as dt
import re
from typing import Any

from chuangye.core.errors import FieldValueError
from chuangye.core.regions import validate_region_code
from chuangye.policies.catalogue import get_policy
from chuangye.policies.evaluate import Outcome, evaluate
from chuangye.policies.expr import Param, walk
from chuangye.policies.facts import VOCABULARY, parse_facts
from chuangye.policies.params import Snapshot
from chuangye.policies.policy import Policy
from chuangye.policies.resolver import snapshot_for

EARLIEST_DECISION = dt.date(1990, 1, 1)
LATEST_DECISION = dt.date(2100, 12, 31)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_on(value: object, *, field: str = "on", label: str = "决定日期") -> dt.date:
    """The decision date from ISO text (or a date); impossible dates are refused, naming the field."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise FieldValueError(field, label, f"{value} 不是有效日期") from None
    else:
        raise FieldValueError(field, label, "应为日期，格式 YYYY-MM-DD")
    if not EARLIEST_DECISION <= day <= LATEST_DECISION:
        raise FieldValueError(field, label, "应在 1990-01-01 至 2100-12-31 之间")
    return day


def parse_region(value: object, *, field: str = "region") -> str:
    """A current region code, or "" for the national defaults."""
    if value is None or value == "":
        return ""
    return validate_region_code(value, field=field, label="行政区划")


def _check_in_force(policy: Policy, snapshot: Snapshot) -> None:
    """Every national figure a criterion needs must be in force on the decision date; else the catalogue
    cannot decide (e.g. the enterprise loan before 2020-04-15) and the date is refused."""
    for criterion in policy.criteria:
        for node in walk(criterion.test):
            if isinstance(node, Param) and snapshot.entry(node.name) is None:
                spec = snapshot.spec(node.name)
                if spec.regional:
                    continue
                entries = snapshot.series[node.name].entries
                first = entries[0].start.isoformat() if entries else "（无）"
                raise FieldValueError("on", "决定日期", f"早于「{spec.label}」的最早施行日期 {first}，本目录无法判断")


def decide(
    code: str,
    raw_facts: object,
    *,
    on: dt.date,
    region_code: str = "",
    snapshot: Snapshot | None = None,
    known_at: dt.datetime | None = None,
) -> Outcome:
    """Check the facts and decide policy ``code`` on ``on`` for ``region_code`` (blank: national defaults).

    A ``snapshot`` given by the caller is used as is (batch callers resolve once); otherwise the parameters are
    resolved from the national files and the region's overrides as known at ``known_at`` (default: now).
    """
    policy = get_policy(code)
    facts = parse_facts(raw_facts)
    for name in policy.required_facts:
        if name not in facts.provided:
            raise FieldValueError(f"facts.{name}", VOCABULARY[name].label, "必填")
    if snapshot is None:
        snapshot = snapshot_for(on=on, region_code=region_code, known_at=known_at)
    _check_in_force(policy, snapshot)
    return evaluate(policy, facts, snapshot)


def decide_request(code: str, raw_facts: object, on: object, region: object = None) -> dict[str, Any]:
    """The calculator behind the ``decide`` command and the API: raw inputs in, the interface JSON out."""
    policy = get_policy(code)
    day = parse_on(on)
    region_code = parse_region(region)
    return decide(policy.code, raw_facts, on=day, region_code=region_code).as_json()
