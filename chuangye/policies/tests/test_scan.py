"""政策找人: the scan stores results, notifies the newly eligible once, writes nothing when nothing changed, and
agrees with deciding each person one by one."""

import datetime as dt

import pytest
from django.core.management import call_command

from chuangye.accounts.testing import make_citizen, make_user
from chuangye.demo.people import synthetic_people
from chuangye.inbox.models import Message
from chuangye.policies.decide import decide
from chuangye.policies.models import PolicyMatch
from chuangye.policies.scan import PERSONAL_POLICIES, scan
from chuangye.registry.actions import key_group_decide, key_group_declare
from chuangye.registry.facts import person_facts
from chuangye.registry.models import Person

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 26)


# This folder's conftest names facts dictionaries graduate and migrant; here they are people with accounts.
@pytest.fixture
def graduate(db):
    return make_citizen("li", "李晓雨", phone="13800000001", region_code="510104", birth="2002-05-14", sex="F")


@pytest.fixture
def migrant(db):
    return make_citizen("zhao", "赵建国", phone="13800000002", region_code="510104", birth="1983-09-02", sex="M")


def certify(person, category, officer, checker, start="2026-01-01"):
    status = key_group_declare(actor=officer, person=person, category_code=category)
    key_group_decide(actor=checker, status=status, certify=True, valid_from=start)


def test_a_newly_certified_graduate_is_found_and_told_once(graduate, migrant, wang_fang):
    checker = make_user("liumin", "supervisor", region_code="510104")
    first = scan(on=ON)
    assert first.people == 2 and first.newly_eligible == 0
    assert PolicyMatch.objects.filter(eligible=True).count() == 0
    certify(graduate.person, "graduate", wang_fang, checker)
    second = scan(on=ON)
    assert second.newly_eligible >= 1
    match = PolicyMatch.objects.get(person=graduate.person, policy_code="loan.individual")
    assert match.eligible and match.amount == 300000
    assert Message.objects.filter(recipient=graduate, title__contains="创业担保贷款").count() == 1
    again = scan(on=ON)
    assert (again.changed, again.newly_eligible) == (0, 0)
    assert Message.objects.filter(recipient=graduate, title__contains="创业担保贷款").count() == 1
    assert not Message.objects.filter(recipient=migrant).filter(title__contains="您可能符合").exists()


def test_the_batch_scan_agrees_with_one_by_one_decisions(wang_fang):
    checker = make_user("liumin", "supervisor", region_code="510104")
    Person.objects.bulk_create(synthetic_people(60, residence_regions=["510104", "510107"], seed=5))
    for person in Person.objects.all()[:20]:
        certify(person, "returning_migrant" if person.pk % 2 else "51_4050", wang_fang, checker, start="2025-06-01")
    call_command("scan_policies", "--on", ON.isoformat(), "--no-notify")
    for person in Person.objects.all():
        facts = person_facts(person, ON)
        for code in PERSONAL_POLICIES:
            outcome = decide(code, facts, on=ON, region_code=person.region_code)
            match = PolicyMatch.objects.filter(person=person, policy_code=code).first()
            stored = (match.eligible, match.amount) if match else (False, None)  # no row: never found eligible
            assert stored == (outcome.eligible, outcome.amount if outcome.eligible else None)
    assert PolicyMatch.objects.filter(eligible=True).exists()
    assert not Message.objects.filter(title__contains="您可能符合").exists()


def test_losing_eligibility_is_stored_and_regaining_it_tells_the_person_again_next_month(graduate, wang_fang):
    from chuangye.registry.models import KeyGroupStatus

    checker = make_user("liumin", "supervisor", region_code="510104")
    certify(graduate.person, "graduate", wang_fang, checker)
    assert scan(on=ON).newly_eligible >= 1
    KeyGroupStatus.objects.filter(person=graduate.person).update(valid_to=dt.date(2026, 11, 30))
    later = dt.date(2026, 12, 5)
    lost = scan(on=later)
    assert lost.changed >= 1 and lost.newly_eligible == 0
    match = PolicyMatch.objects.get(person=graduate.person, policy_code="loan.individual")
    assert not match.eligible and match.amount is None and match.decided_on == later
    KeyGroupStatus.objects.filter(person=graduate.person).update(valid_to=None)
    regained = scan(on=dt.date(2027, 1, 4))
    assert regained.newly_eligible >= 1
    assert Message.objects.filter(recipient=graduate, title__contains="创业担保贷款").count() == 2
