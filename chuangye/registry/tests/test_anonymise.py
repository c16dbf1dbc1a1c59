"""Anonymising records past retention: legal holds and live records are kept, statistics stay the same."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from chuangye.core.ids import generate_resident_id
from chuangye.core.models import AuditEvent
from chuangye.demo.people import synthetic_people
from chuangye.registry.models import KeyGroupCategory, KeyGroupEvent, KeyGroupStatus, Person

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - dt.timedelta(days=6 * 366)


def registrant(name: str, seq: int, **fields: object) -> Person:
    born = dt.date(1970, 4, 5)
    person = Person(sex="M", birth_date=born, hukou_region_code="510104", region_code="510104", **fields)
    person.set_name(name)
    person.set_id_number(generate_resident_id("510104", born, "M", seq))
    person.set_phone("13700000000")
    person.school = "成都大学"
    person.save()
    return person


def status(person: Person, *, start: dt.date, end: dt.date | None, state: str = "certified") -> None:
    KeyGroupStatus.objects.create(
        person=person,
        category=KeyGroupCategory.objects.get(code="registered_unemployed"),
        state=state,
        valid_from=start,
        valid_to=end,
        region_code=person.region_code,
        declared_at=LONG_AGO,
    )


def statistics() -> dict[str, list]:
    people = Person.objects.all()
    return {
        "region_sex_year": list(
            people.values("region_code", "sex", year=ExtractYear("birth_date"))
            .annotate(n=Count("id"))
            .order_by("region_code", "sex", "year")
        ),
        "education": list(people.values("education", "employment").annotate(n=Count("id")).order_by("education")),
        "groups": list(KeyGroupStatus.objects.values("category__code", "state").annotate(n=Count("id")).order_by("n")),
    }


@pytest.fixture
def archive(li_xiaoyu):
    """Records untouched for six years, and the reasons some of them must stay."""
    Person.objects.bulk_create(synthetic_people(40, residence_regions=["510104", "510107"], seed=7))
    cast = {
        "dormant": registrant("甲某", 11),
        "held": registrant("乙某", 12, legal_hold=True),
        "in_force": registrant("丙某", 13),
        "expired": registrant("丁某", 14),
        "pending": registrant("戊某", 15),
    }
    status(cast["in_force"], start=dt.date(2019, 1, 1), end=None)
    status(cast["expired"], start=dt.date(2018, 1, 1), end=dt.date(2019, 12, 31))
    status(cast["pending"], start=dt.date(2019, 1, 1), end=None, state="pending")
    Person.objects.update(updated_at=LONG_AGO)
    KeyGroupEvent.objects.update(at=LONG_AGO)
    cast["recent"] = registrant("己某", 16)
    cast["li"] = li_xiaoyu.person  # an active account, even if her record is old
    return cast


def test_people_past_retention_are_anonymised_and_statistics_stay(archive):
    before = statistics()
    dormant = archive["dormant"]
    old_index = dormant.id_number_index
    out = io.StringIO()
    call_command("anonymise_people", "--inactive-years", "5", stdout=out)
    assert "已匿名化 42 人" in out.getvalue()  # 40 synthetic people, 甲某 and 丁某
    assert statistics() == before
    kept = {key for key, p in archive.items() if Person.objects.get(pk=p.pk).anonymised_at is None}
    assert kept == {"held", "in_force", "pending", "recent", "li"}
    dormant.refresh_from_db()
    assert (dormant.name, dormant.phone, dormant.school, dormant.user_id) == ("已匿名", "", "", None)
    assert dormant.birth_date == dt.date(1970, 1, 1) and dormant.id_number.startswith("ANON-")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM registry_person WHERE id_number_index = %s", [old_index])
        assert cursor.fetchone() == (0,)
    assert KeyGroupStatus.objects.filter(person=archive["expired"]).count() == 1  # statuses stay for statistics
    assert AuditEvent.objects.get(action="person.anonymise").details == {"count": 42, "inactive_years": 5}


def test_a_dry_run_changes_nothing_and_a_second_run_finds_nobody(archive):
    out = io.StringIO()
    call_command("anonymise_people", "--inactive-years", "5", "--dry-run", stdout=out)
    assert "有 42 人" in out.getvalue() and not Person.objects.filter(anonymised_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="person.anonymise").exists()
    call_command("anonymise_people", stdout=io.StringIO())  # the default period is five years
    again = io.StringIO()
    call_command("anonymise_people", "--inactive-years", "5", stdout=again)
    assert "已匿名化 0 人" in again.getvalue()
    assert Person.objects.filter(anonymised_at__isnull=False).count() == 42


def test_a_longer_period_spares_people_inactive_for_less(archive):
    call_command("anonymise_people", "--inactive-years", "10", stdout=io.StringIO())
    assert not Person.objects.filter(anonymised_at__isnull=False).exists()


def test_a_closed_account_loses_its_name_and_phone_with_the_record(archive):
    from chuangye.accounts.testing import make_user

    former = make_user("former", "citizen", real_name="甲某")
    former.set_phone("13700000000")
    former.is_active = False
    former.save()
    Person.objects.filter(pk=archive["dormant"].pk).update(user=former, updated_at=LONG_AGO)
    call_command("anonymise_people", "--inactive-years", "5", stdout=io.StringIO())
    former.refresh_from_db()
    assert (former.real_name, former.phone, former.phone_index) == ("已匿名", "", "")
