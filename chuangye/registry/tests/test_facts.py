"""The registry-to-policy adapter: the facts a person's record gives on a date."""

import datetime as dt

import pytest

from chuangye.accounts.testing import make_user
from chuangye.core.ids import build_credit_code, encode_org_body
from chuangye.registry.actions import key_group_decide, key_group_declare
from chuangye.registry.facts import people_facts, person_facts, register_provider
from chuangye.registry.models import Business, Founder

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_graduate_founders_facts(li_xiaoyu, wang_fang):
    person = li_xiaoyu.person
    person.graduation_date, person.employment = D(2024, 6, 30), "self_employed"
    person.save()
    status = key_group_declare(actor=wang_fang, person=person, category_code="graduate")
    key_group_decide(
        actor=make_user("liumin", "supervisor", region_code="510104"),
        status=status,
        certify=True,
        valid_from="2024-07-01",
    )
    business = Business.objects.create(
        credit_code=build_credit_code("9", "2", "510104", encode_org_body(1)),
        name="晓雨文创",
        kind="individual",
        registered_on=D(2025, 3, 1),
        region_code="510104",
        industry="R",
    )
    Founder.objects.create(business=business, person=person, role="operator")
    facts = person_facts(person, D(2026, 11, 26))
    assert facts == {
        "birth_date": "2002-05-14",
        "sex": "F",
        "graduation_date": "2024-06-30",
        "employed": True,
        "flexible_employment_registered": False,
        "key_groups": ["graduate"],
        "business_started_on": "2025-03-01",
        "first_business": True,
    }
    before = person_facts(person, D(2024, 6, 30))
    assert before["key_groups"] == [] and "business_started_on" not in before  # nothing counted before it began


def test_providers_add_their_facts_in_one_call_per_batch(li_xiaoyu, zhao_jianguo):
    calls = []

    def loans(ids, on):
        calls.append(sorted(ids))
        return {i: {"prior_guaranteed_loans": 1} for i in ids}

    register_provider(loans)
    try:
        facts = people_facts([li_xiaoyu.person, zhao_jianguo.person], D(2026, 1, 1))
    finally:
        from chuangye.registry import facts as module

        module._PROVIDERS.remove(loans)
    assert len(calls) == 1 and all(f["prior_guaranteed_loans"] == 1 for f in facts.values())
