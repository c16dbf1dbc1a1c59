"""Read-only views of training data: the course catalogue for a region, a class's roster with attendance, and the
follow-up of trainees who start a business (the training-to-start-up rate)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from chuangye.core.dates import add_months
from chuangye.policies.facts import COURSES
from chuangye.policies.params import display_value
from chuangye.policies.resolver import snapshot_for
from chuangye.registry.models import Founder
from chuangye.training.actions import attendance_rate
from chuangye.training.models import Certificate, Enrolment, TrainingClass


@dataclass(frozen=True)
class CourseRow:
    code: str
    title: str
    hours: Any
    amount: Any
    listed: bool


def course_catalogue(region_code: str, on: dt.date | None = None) -> dict[str, Any]:
    """Each course with its hours and subsidy in ``region_code`` on ``on`` (national defaults when blank)."""
    snapshot = snapshot_for(on=on or timezone.localdate(), region_code=region_code)
    listed = snapshot.value("subsidy.training.courses") or frozenset()
    rows = []
    for code, title in COURSES.items():
        amount_name = f"subsidy.training.amount.{code}"
        rows.append(
            CourseRow(
                code=code,
                title=title,
                hours=snapshot.value(f"training.hours.{code}"),
                amount=display_value(snapshot.spec(amount_name), snapshot.value(amount_name)),
                listed=code in listed,
            )
        )
    window = snapshot.value("subsidy.training.startup_window_months")
    share = snapshot.value("subsidy.training.no_startup_share")
    rule = ""
    if window is not None and share is not None:
        rule = f"结业后{window}个月内创业的全额补贴，未创业的按{float(share) * 100:g}%补贴"
    return {"rows": rows, "startup_rule": rule}


@dataclass
class RosterRow:
    enrolment: Enrolment
    attended: int
    rate: Decimal


def roster(klass: TrainingClass) -> list[RosterRow]:
    enrolments = klass.enrolments.select_related("person").prefetch_related("attendances").order_by("status", "id")
    return [RosterRow(e, e.attendances.count(), attendance_rate(e)) for e in enrolments]


@dataclass
class RateRow:
    key: str
    label: str
    certified: int
    started: int

    @property
    def rate(self) -> Decimal:
        if not self.certified:
            return Decimal("0.0")
        return (Decimal(self.started * 100) / self.certified).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def started_within(certificates: QuerySet[Certificate], months: int) -> dict[int, dt.date]:
    """Certificate id → the date a business of the trainee was registered, from the class start until ``months``
    after the certificate (looked up in the registry's founders)."""
    certs = list(certificates.select_related("enrolment__training_class"))
    people = {c.person_id for c in certs}
    founded: dict[int, list[dt.date]] = defaultdict(list)
    for person_id, day in Founder.objects.filter(person_id__in=people).values_list(
        "person_id", "business__registered_on"
    ):
        founded[person_id].append(day)
    found = {}
    for cert in certs:
        start = cert.enrolment.training_class.start_date
        until = add_months(cert.issued_on, months)
        days = sorted(d for d in founded.get(cert.person_id, []) if start <= d <= until)
        if days:
            found[cert.pk] = days[0]
    return found


def followup_rates(certificates: QuerySet[Certificate], months: int) -> dict[str, list[RateRow]]:
    """The training-to-start-up rate by course, institution and region."""
    started = started_within(certificates, months)
    groups: dict[str, dict[str, RateRow]] = {"course": {}, "institution": {}, "region": {}}
    for cert in certificates.select_related("enrolment__training_class__institution__organisation"):
        klass = cert.enrolment.training_class
        keys = {
            "course": (cert.course, COURSES.get(cert.course, cert.course)),
            "institution": (str(klass.institution_id), klass.institution.organisation.name),
            "region": (cert.region_code, cert.region_code),
        }
        for group, (key, label) in keys.items():
            row = groups[group].setdefault(key, RateRow(key, label, 0, 0))
            row.certified += 1
            row.started += cert.pk in started
    return {group: sorted(rows.values(), key=lambda r: r.key) for group, rows in groups.items()}
