import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F
from django.test import override_settings
from django.utils import timezone
from stdnum.cn import uscc

from chuangye.accounts.models import Role, User
from chuangye.core.ids import parse_resident_id
from chuangye.demo.accounts import USERS
from chuangye.registry.models import Business, Founder, Industry, KeyGroupCategory, KeyGroupStatus, Person
from chuangye.registry.selectors import in_force

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_covers_every_role():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Person.objects.count(), KeyGroupStatus.objects.count(), Business.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Person.objects.count(), KeyGroupStatus.objects.count(), Business.objects.count()) == counts
    assert User.objects.count() == len(USERS)
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert Person.objects.count() == 2002  # 2,000 synthetic registrants plus the two demo citizens
    assert Person.objects.filter(user__username__in=["grad_li", "migrant_zhao"]).count() == 2
    assert set(Person.objects.values_list("region_code", flat=True)) == {"510104", "510107"}
    for person in Person.objects.order_by("?")[:100]:
        parsed = parse_resident_id(person.id_number)
        assert (parsed.birth_date, parsed.sex) == (person.birth_date, person.sex)
        assert person.name_initials  # searchable by pinyin initials like people created one by one
    officer = User.objects.get(username="officer_jj")
    assert officer.check_password("Chuangye#2026demo")
    assert officer.password.startswith("argon2") or officer.password.startswith("md5")


def test_seed_demo_certifies_every_group_with_some_expired_and_some_waiting():
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    certified = set(KeyGroupStatus.objects.filter(state="certified").values_list("category__code", flat=True))
    assert certified == set(KeyGroupCategory.objects.values_list("code", flat=True))  # national and Sichuan lists
    expired = KeyGroupStatus.objects.filter(state="certified", valid_to__lt=today)
    assert expired.exists() and not expired.filter(in_force(today)).exists()
    pending = KeyGroupStatus.objects.filter(state="pending")
    assert pending.filter(region_code="510104").exists() and pending.filter(region_code="510107").exists()
    deciders = set(KeyGroupStatus.objects.exclude(state="pending").values_list("decided_by__username", flat=True))
    assert deciders == {"officer_jj", "officer_wh"}


def test_seed_demo_registers_about_five_hundred_businesses_with_their_founders():
    call_command("seed_demo", stdout=io.StringIO())
    businesses = Business.objects.all()
    assert 400 <= businesses.count() <= 600
    assert set(businesses.values_list("region_code", flat=True)) == {"510104", "510107"}
    assert set(businesses.values_list("kind", flat=True)) == set(Business.Kind.values)
    assert len(set(businesses.values_list("industry", flat=True))) >= len(Industry.values) - 4
    assert all(uscc.is_valid(code) for code in businesses.values_list("credit_code", flat=True))
    assert Founder.objects.count() == businesses.count()
    assert not businesses.exclude(legal_representative__founded__business=F("pk")).exists()


def test_seed_demo_is_refused_in_production():
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="生产模式"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_the_demo_is_spread_over_both_counties():
    call_command("seed_demo", people=200, stdout=io.StringIO())
    per_county = dict(Person.objects.values_list("region_code").annotate(n=Count("id")))
    assert per_county["510104"] > 50 and per_county["510107"] > 50


def test_the_demo_guarantee_fund_is_created_once_with_money_in_it():
    from chuangye.loans.models import GuaranteeFund

    call_command("seed_demo", people=10)
    call_command("seed_demo", people=10)
    fund = GuaranteeFund.objects.get()
    assert fund.organisation.kind == "guarantor" and fund.region_code == "510100"
    from chuangye.loans import ledger
    from chuangye.loans.models import AccountKind

    assert ledger.balance(AccountKind.FUND_CASH, fund=fund) == Decimal("20000000.00")


def test_the_demo_county_grants_the_start_up_subsidy_without_application():
    from chuangye.cases.models import Case
    from chuangye.policies.models import ProactiveGrant

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    grants = ProactiveGrant.objects.count()
    assert grants > 0 and "免申即享待确认办件" in out.getvalue()
    assert set(ProactiveGrant.objects.values_list("person__region_code", flat=True)) == {"510104"}
    assert set(Case.objects.filter(case_type="policy.grant").values_list("state", flat=True)) == {"pending"}
    call_command("seed_demo", stdout=io.StringIO())
    assert ProactiveGrant.objects.count() == grants
