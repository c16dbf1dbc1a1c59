"""The decide command: one JSON object on stdout and exit 0 for any decision; exit 2 and Chinese on stderr."""

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("decide", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as stop:
        code = stop.code
    return code, out.getvalue(), err.getvalue()


def write(tmp_path, facts):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_decision_prints_one_json_object(tmp_path, zhao_jianguo):
    code, out, err = run("subsidy.startup_once", "--facts", write(tmp_path, zhao_jianguo), "--on", "2024-06-15")
    assert code == 0 and err == ""
    body = json.loads(out)
    assert body["policy"] == "subsidy.startup_once"
    assert body["eligible"] is True
    assert body["amount"] is None
    assert body["parameters"][-1]["value"] is None
    assert "尚未设定" in body["parameters"][-1]["source"]


def test_a_refusal_is_still_exit_zero(tmp_path, zhao_jianguo):
    code, out, _ = run(
        "loan.individual", "--facts", write(tmp_path, zhao_jianguo), "--on", "2030-01-01"
    )  # retires at 61: 2029-11-02
    assert code == 0
    body = json.loads(out)
    assert body["eligible"] is False and body["amount"] is None
    assert [c["code"] for c in body["criteria"] if not c["passed"]] == ["before_retirement"]


@pytest.mark.parametrize(
    ("policy", "facts", "on", "field"),
    [
        ("loan.individual", {"birth_date": "1990-02-30"}, "2024-06-15", "facts.birth_date"),
        ("loan.individual", {"requested_amount": "-5"}, "2024-06-15", "facts.requested_amount"),
        ("loan.individual", {"hobby": "chess"}, "2024-06-15", "facts.hobby"),
        ("loan.individual", {}, "2024-13-01", "on"),
        ("loan.moon", {}, "2024-06-15", "policy"),
    ],
)
def test_bad_input_exits_2_naming_the_field(tmp_path, policy, facts, on, field):
    code, out, err = run(policy, "--facts", write(tmp_path, facts), "--on", on)
    assert code == 2
    assert out == ""
    assert f"字段 {field}" in err
    assert "「" in err


def test_unreadable_facts_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run("loan.individual", "--facts", str(bad), "--on", "2024-06-15")
    assert code == 2 and "不是有效的 JSON" in err
    code, _, err = run("loan.individual", "--facts", str(tmp_path / "missing.json"), "--on", "2024-06-15")
    assert code == 2 and "无法读取" in err


def test_region_is_validated(tmp_path, zhao_jianguo):
    code, _, err = run(
        "loan.individual", "--facts", write(tmp_path, zhao_jianguo), "--on", "2024-06-15", "--region", "12"
    )
    assert code == 2 and "字段 region" in err
