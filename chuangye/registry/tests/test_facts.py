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
        "si_subsidy_months_received": 0,  # from the flexible-employment app's provider
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


@pytest.mark.parametrize("range_from", [None, 1])
def test_the_population_frame_equals_the_facts_one_by_one(wang_fang, monkeypatch, range_from):
    """``people_frames`` (the scan's columnar form, COPY on PostgreSQL) gives exactly the frame that ``people_facts``
    followed by ``facts_frame`` gives, providers included, over a population with every kind of record; also when
    the providers read every batch's ids as a range (``range_from`` 1; a scan's batches are far larger)."""
    import random

    from polars.testing import assert_frame_equal

    from chuangye.demo.people import synthetic_people
    from chuangye.policies.batch import facts_frame, prepare
    from chuangye.registry import facts as module
    from chuangye.registry.facts import people_frames
    from chuangye.registry.models import Person

    if range_from is not None:
        monkeypatch.setattr(module, "_RANGE_FROM", range_from)
    checker = make_user("liumin", "supervisor", region_code="510104")
    Person.objects.bulk_create(synthetic_people(80, residence_regions=["510104", "510107"], seed=11))
    people = list(Person.objects.order_by("pk"))
    rng = random.Random(3)
    for n, person in enumerate(people[:40]):
        person.employment = rng.choice(["unknown", "employed", "flexible", "unemployed", "self_employed"])
        person.graduation_date = D(2024, 6, 30) if n % 3 == 0 else None
        person.save()
        status = key_group_declare(
            actor=wang_fang, person=person, category_code=rng.choice(["graduate", "returning_migrant", "51_4050"])
        )
        key_group_decide(actor=checker, status=status, certify=n % 5 != 0, note="材料不符", valid_from="2025-01-01")
        if n % 4 == 0:
            business = Business.objects.create(
                credit_code=build_credit_code("9", "2", person.region_code, encode_org_body(100 + n)),
                name=f"测试商户{n}",
                kind="individual",
                registered_on=D(2025, 1 + n % 12, 1),
                region_code=person.region_code,
                industry="H",
            )
            Founder.objects.create(business=business, person=person, role="operator")
    Person.objects.filter(pk=people[-1].pk).update(anonymised_at="2026-01-01T00:00:00Z")

    def loans(ids, on):
        return {
            i: {"prior_guaranteed_loans": i % 3, "has_overdue_guaranteed_loan": i % 7 == 0, "employed": None}
            for i in ids
            if i % 2
        }

    on = D(2026, 11, 26)
    register_provider(loans)
    try:
        frames = list(people_frames(on=on, batch_size=30))
        active = [p for p in people if p.pk != people[-1].pk]
        expected = prepare(facts_frame(people_facts(active, on)[p.pk] for p in active))
    finally:
        module._PROVIDERS.remove(loans)
    assert [f.height for f in frames] == [30, 30, 19]
    import polars as pl

    got = pl.concat(frames, how="diagonal_relaxed")
    assert got["person_id"].to_list() == [p.pk for p in active]
    assert got["region_code"].to_list() == [p.region_code for p in active]
    assert_frame_equal(prepare(got.drop("person_id", "region_code")).select(expected.columns), expected)


def test_many_ids_close_together_are_read_as_a_range_keeping_only_those_ids(li_xiaoyu, zhao_jianguo, monkeypatch):
    """A provider asked about many ids close together reads the range they span, not an IN list of every id (which
    made a scan's queries slow), and answers for the ids it was asked about only."""
    from chuangye.cultivation.facts import honour_facts
    from chuangye.cultivation.models import Honour
    from chuangye.registry import facts as module
    from chuangye.registry.facts import ids_filter

    assert "person_id__in" in str(ids_filter([1, 2, 3]))  # few ids: the list itself
    monkeypatch.setattr(module, "_RANGE_FROM", 2)
    assert "person_id__gte" in str(ids_filter([3, 5, 6])) and "person_id__lte" in str(ids_filter([3, 5, 6]))
    assert "person_id__in" in str(ids_filter([3, 500]))  # far apart: a range would read far more rows
    li, zhao = li_xiaoyu.person, zhao_jianguo.person
    for person in (li, zhao):
        Honour.objects.create(person=person, title="创业大赛一等奖", level="city", awarded_on=D(2025, 5, 1))
    around = [min(li.pk, zhao.pk) - 1, max(li.pk, zhao.pk) + 1]  # a range that holds both, asking about neither
    assert honour_facts(around, D(2026, 1, 1)) == {}
    asked = [li.pk, max(li.pk, zhao.pk) + 1]
    assert li.pk < zhao.pk  # made in that order: the range asked about holds 赵建国 too
    assert honour_facts(asked, D(2026, 1, 1)) == {li.pk: {"honour_city_level": True}}
    assert people_facts([li], D(2026, 1, 1))[li.pk]["honour_city_level"] is True
