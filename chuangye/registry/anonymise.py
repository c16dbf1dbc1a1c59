"""Anonymising registrants whose records are past their retention period (PIPL art. 47), in place, so that
statistics (counts by region, sex, birth year, education, key group) stay exactly as they were.

Retention period: we assume five years after the last activity on a record, the period commonly set for
employment-service registration files in provincial archives rules; no national rule fixes it for this registry,
and PIPL art. 19 asks for the shortest period necessary. A bureau sets its own with ``REGISTRY_RETENTION_YEARS``.
"""

import datetime as dt
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from chuangye.accounts.models import User
from chuangye.core.audit import record_event
from chuangye.core.dates import add_years
from chuangye.core.models import Attachment
from chuangye.registry.models import Business, ChangeRequest, Founder, KeyGroupEvent, KeyGroupStatus, Person
from chuangye.registry.selectors import in_force

ANONYMISED_NAME = "已匿名"
BATCH = 500
DEFAULT_RETENTION_YEARS = 5


def retention_years() -> int:
    return int(getattr(settings, "REGISTRY_RETENTION_YEARS", DEFAULT_RETENTION_YEARS))


def people_past_retention(*, years: int, now: dt.datetime | None = None) -> QuerySet[Person]:
    """People whose record, statuses and requests have not changed for ``years``, with no legal hold, no active
    account, no key-group status in force or awaiting a decision, and no operating business they are behind."""
    now = now or timezone.now()
    cutoff = timezone.make_aware(dt.datetime.combine(add_years(timezone.localdate(now), -years), dt.time.min))
    today = timezone.localdate(now)
    statuses = KeyGroupStatus.objects.filter(person=OuterRef("pk"))
    recent_status = statuses.filter(
        Q(declared_at__gte=cutoff)
        | Q(decided_at__gte=cutoff)
        | Q(pk__in=KeyGroupEvent.objects.filter(at__gte=cutoff).values("status_id"))
    )
    open_status = statuses.filter(in_force(today) | Q(state=KeyGroupStatus.State.PENDING))
    changes = ChangeRequest.objects.filter(person=OuterRef("pk")).filter(
        Q(requested_at__gte=cutoff) | Q(decided_at__gte=cutoff) | Q(state=ChangeRequest.State.PENDING)
    )
    operating = Business.Status.OPERATING
    runs_business = Founder.objects.filter(person=OuterRef("pk"), business__status=operating)
    represents = Business.objects.filter(legal_representative=OuterRef("pk"), status=operating)
    return (
        Person.objects.filter(anonymised_at__isnull=True, legal_hold=False, updated_at__lt=cutoff)
        .filter(Q(user__isnull=True) | Q(user__is_active=False))
        .exclude(Exists(recent_status))
        .exclude(Exists(open_status))
        .exclude(Exists(changes))
        .exclude(Exists(runs_business))
        .exclude(Exists(represents))
    )


@dataclass(frozen=True)
class AnonymiseResult:
    count: int
    dry_run: bool


def anonymise_people(*, years: int, dry_run: bool = False, actor: Any = None) -> AnonymiseResult:
    """Anonymise every person past retention, batch by batch; already anonymised people are not touched again.
    One audit event records the count (none for a dry run, which changes nothing)."""
    due = people_past_retention(years=years)
    if dry_run:
        return AnonymiseResult(due.count(), dry_run=True)
    total = 0
    for ids in _batches(due):
        with transaction.atomic():
            total += _anonymise_batch(ids)
    record_event(
        "person.anonymise", actor=actor, object_type="person", details={"count": total, "inactive_years": years}
    )
    return AnonymiseResult(total, dry_run=False)


def _batches(due: QuerySet[Person]) -> Iterator[list[int]]:
    """Ids in ascending batches; each batch is re-selected, so people changed meanwhile drop out."""
    last = 0
    while True:
        ids = list(due.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return
        yield ids
        last = ids[-1]


def _anonymise_batch(ids: list[int]) -> int:
    now = timezone.now()
    people = list(Person.objects.select_for_update().filter(pk__in=ids, anonymised_at__isnull=True, legal_hold=False))
    # The (already inactive) account that belonged to the person holds their name and phone too.
    User.objects.filter(pk__in=[p.user_id for p in people if p.user_id]).update(
        real_name=ANONYMISED_NAME, phone="", phone_index="", email=""
    )
    for person in people:
        person.name, person.name_initials = ANONYMISED_NAME, ""
        # A random token, not an ID number: the unique blind index stays satisfied and nothing can be recomputed.
        person.set_id_number("ANON-" + secrets.token_hex(16))
        person.set_phone("")
        person.school, person.graduation_date, person.user = "", None, None
        person.birth_date = dt.date(person.birth_date.year, 1, 1)
        person.anonymised_at = person.updated_at = now
    fields = [
        "name",
        "name_initials",
        "id_number",
        "id_number_index",
        "phone",
        "phone_index",
        "school",
        "graduation_date",
        "user",
        "birth_date",
        "anonymised_at",
        "updated_at",
    ]
    Person.objects.bulk_update(people, fields, batch_size=BATCH)
    done = [p.pk for p in people]
    # Free text a citizen wrote about themselves, and the scans of their documents, would undo the anonymisation.
    KeyGroupStatus.objects.filter(person_id__in=done).update(declaration="")
    ChangeRequest.objects.filter(person_id__in=done).update(changes={}, reason=ANONYMISED_NAME)
    status_ids = [str(i) for i in KeyGroupStatus.objects.filter(person_id__in=done).values_list("pk", flat=True)]
    evidence = Attachment.objects.filter(
        Q(object_type="key_group_status", object_id__in=status_ids)
        | Q(object_type="person", object_id__in=[str(i) for i in done])
    )
    stored = [a.file.name for a in evidence]
    evidence.delete()
    if stored:
        # Files go only once the rows are gone for good: a rolled-back batch keeps its evidence.
        storage = Attachment._meta.get_field("file").storage
        transaction.on_commit(lambda: _delete_files(storage, stored))
    return len(people)


def _delete_files(storage: Any, names: list[str]) -> None:
    for name in names:
        storage.delete(name)
