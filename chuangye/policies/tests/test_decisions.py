"""Decision records keep everything needed to explain a decision, and replay to the same result."""

import datetime as dt
from decimal import Decimal

import pytest

from chuangye.core.models import AuditEvent
from chuangye.policies.actions import decision_record, parameter_override_create
from chuangye.policies.selectors import decision_replay, decision_reproduces
from chuangye.policies.version import engine_version

pytestmark = pytest.mark.django_db


def test_a_recorded_decision_holds_facts_parameters_trace_and_version(li_xiaoyu, officer_jj):
    decision = decision_record(
        policy_code="loan.individual",
        facts=li_xiaoyu,
        on=dt.date(2024, 6, 15),
        region_code="510104",
        subject_type="registry.Person",
        subject_id="42",
        actor=officer_jj,
    )
    assert decision.eligible is True
    assert decision.amount == Decimal("200000.00")
    assert decision.facts["key_groups"] == ["graduate"]
    assert [c["code"] for c in decision.criteria][:2] == ["key_group", "adult"]
    assert {
        "name": "loan.individual.ceiling",
        "value": "300000.00",
        "source": "财金〔2023〕75号，2023-10-01 起施行",
    } in (decision.parameters)
    assert decision.engine_version == engine_version()
    assert AuditEvent.objects.filter(action="policies.decision_recorded", object_id=str(decision.pk)).exists()


def test_replay_as_of_the_record_ignores_overrides_entered_later(zhao_jianguo, officer_jj):
    decision = decision_record(
        policy_code="subsidy.startup_once", facts=zhao_jianguo, on=dt.date(2024, 6, 15), region_code="510104"
    )
    assert decision.eligible is True and decision.amount is None
    assert "尚未设定" in decision.note

    parameter_override_create(
        actor=officer_jj,
        name="subsidy.startup_once.amount",
        region_code="510104",
        value="5000",
        effective_from="2024-01-01",
        document_number="锦人社发〔2024〕9号",
    )
    assert decision_reproduces(decision)
    assert decision_replay(decision).amount is None

    again = decision_record(
        policy_code="subsidy.startup_once", facts=zhao_jianguo, on=dt.date(2024, 6, 15), region_code="510104"
    )
    assert again.amount == Decimal("5000.00")
    assert decision_reproduces(again)
