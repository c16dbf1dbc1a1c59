"""The named case tables (``cases/*.yaml``): each case decided person by person and in batch."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from chuangye.policies.batch import evaluate_batch, facts_frame
from chuangye.policies.catalogue import CATALOGUE
from chuangye.policies.decide import decide
from chuangye.policies.params import load_yaml
from chuangye.policies.resolver import national_snapshot

CASE_DIR = Path(__file__).resolve().parents[1] / "cases"


def _load() -> list[Any]:
    params = []
    for path in sorted(CASE_DIR.glob("*.yaml")):
        table = load_yaml(path.read_text(encoding="utf-8"))
        for case in table["cases"]:
            params.append(pytest.param(table["policy"], case, id=f"{path.stem}: {case['name']}"))
    return params


CASES = _load()


def _snapshot(case: dict[str, Any]) -> Any:
    snapshot = national_snapshot(case["on"])
    for name, value in (case.get("parameters") or {}).items():
        snapshot = snapshot.with_value(name, str(value), document="用例假定的地方标准")
    return snapshot


def test_every_policy_has_a_case_table():
    covered = {load_yaml(p.read_text(encoding="utf-8"))["policy"] for p in CASE_DIR.glob("*.yaml")}
    assert covered == set(CATALOGUE)


@pytest.mark.parametrize(("policy", "case"), CASES)
def test_case(policy, case):
    assert isinstance(case["on"], dt.date)
    snapshot = _snapshot(case)
    outcome = decide(policy, case["facts"], on=case["on"], snapshot=snapshot)

    failing = case.get("failing") or []
    failing = [failing] if isinstance(failing, str) else failing
    assert outcome.eligible is case["eligible"], [c for c in outcome.criteria if not c.passed]
    assert outcome.as_json()["amount"] == case["amount"]
    assert [c.code for c in outcome.criteria if not c.passed] == failing
    assert all(c.reason for c in outcome.criteria)

    batch = evaluate_batch(CATALOGUE[policy], facts_frame([case["facts"]]), snapshot).row(0, named=True)
    expected_fen = None if case["amount"] is None else round(float(case["amount"]) * 100)
    assert batch == {"eligible": case["eligible"], "amount_fen": expected_fen}
