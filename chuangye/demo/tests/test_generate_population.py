import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test import override_settings

from chuangye.core.ids import parse_resident_id
from chuangye.demo.people import SLOTS, slot_for
from chuangye.registry.models import Business, KeyGroupEvent, KeyGroupStatus, Person

pytestmark = pytest.mark.django_db


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_population", *args, stdout=out)
    return out.getvalue()


def test_a_population_is_created_in_bulk_once_per_seed():
    assert "新增人员 500 人" in generate("--people", "500", "--seed", "7", "--batch-size", "120")
    counts = (Person.objects.count(), KeyGroupStatus.objects.count(), Business.objects.count())
    assert "新增人员 0 人（已存在 500 人）" in generate("--people", "500", "--seed", "7")
    assert (Person.objects.count(), KeyGroupStatus.objects.count(), Business.objects.count()) == counts
    assert "新增人员 100 人（已存在 500 人）" in generate("--people", "600", "--seed", "7")  # grows, never repeats
    assert Person.objects.values("id_number_index").distinct().count() == 600
    for person in Person.objects.order_by("?")[:50]:
        assert parse_resident_id(person.id_number).birth_date == person.birth_date


def test_the_population_has_a_realistic_mix_of_statuses_and_businesses():
    generate("--people", "800", "--seed", "3", "--region", "510104", "510107", "510105")
    assert set(Person.objects.values_list("region_code", flat=True)) == {"510104", "510107", "510105"}
    states = dict(KeyGroupStatus.objects.values_list("state").annotate(n=Count("id")))
    assert states["certified"] > states["pending"] > 0 and states["rejected"] > 0 and states["revoked"] > 0
    assert KeyGroupEvent.objects.count() > KeyGroupStatus.objects.count()  # every status with its history
    assert 10 <= Business.objects.count() <= 80  # about one person in twenty runs a business


def test_identifier_slots_never_collide_within_a_seed():
    slots = {slot_for(i, 2026).index for i in range(200_000)}
    assert len(slots) == 200_000 and max(slots) < SLOTS


def test_unknown_regions_and_production_are_refused():
    with pytest.raises(CommandError, match="999999"):
        generate("--people", "10", "--region", "999999")
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="生产模式"):
        generate("--people", "10")
    assert not Person.objects.exists()
