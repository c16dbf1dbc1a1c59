import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from chuangye.accounts.models import Role, User
from chuangye.core.ids import parse_resident_id
from chuangye.demo.accounts import USERS
from chuangye.registry.models import Person

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_covers_every_role():
    call_command("seed_demo", people=120)
    call_command("seed_demo", people=120)
    assert User.objects.count() == len(USERS)
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert Person.objects.count() == 122  # 120 synthetic plus the two demo citizens
    assert Person.objects.filter(user__username__in=["grad_li", "migrant_zhao"]).count() == 2
    assert set(Person.objects.values_list("region_code", flat=True)) == {"510104", "510107"}
    for person in Person.objects.all()[:50]:
        parsed = parse_resident_id(person.id_number)
        assert (parsed.birth_date, parsed.sex) == (person.birth_date, person.sex)
    officer = User.objects.get(username="officer_jj")
    assert officer.check_password("Chuangye#2026demo")
    assert officer.password.startswith("argon2") or officer.password.startswith("md5")


def test_seed_demo_is_refused_in_production():
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="生产模式"):
        call_command("seed_demo")
    assert not User.objects.exists()
