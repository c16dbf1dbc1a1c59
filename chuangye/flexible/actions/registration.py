"""Employment and unemployment registration: online and counter submissions, the certificate on approval."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.access import is_staff_role
from chuangye.cases.actions import case_submit
from chuangye.cases.deadlines import end_of_local_day, local_date
from chuangye.cases.models import Case
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.regions import validate_region_code
from chuangye.core.retirement import category_for, retirement_date
from chuangye.core.sequences import next_value
from chuangye.flexible import case_types
from chuangye.flexible.actions.common import _choice, _date, _person, _text
from chuangye.flexible.models import Certificate, EmploymentRegistration
from chuangye.registry.actions import person_get_or_create
from chuangye.registry.models import Employment, Person


def _registration_details(person: Person, kind: str, data: Mapping[str, object]) -> dict[str, Any]:
    if kind not in EmploymentRegistration.Kind.values:
        raise FieldValueError("kind", "登记类型", "应为就业登记或失业登记")
    basis = _choice(data.get("basis") or "residence", EmploymentRegistration.Basis, "basis", "登记地")
    since = _date(data.get("since"), "since", "就业（失业）日期")
    today = timezone.localdate()
    if since > today:
        raise FieldValueError("since", "就业（失业）日期", "不能晚于今天")
    age_16 = (
        person.birth_date.replace(year=person.birth_date.year + 16)
        if not (person.birth_date.month == 2 and person.birth_date.day == 29)
        else dt.date(person.birth_date.year + 16, 3, 1)
    )
    if today < age_16:
        raise DomainError("未满16周岁，不能办理就业失业登记", code="age")
    # The registry does not know a woman's post type; the later (cadre) retirement age is used so that nobody is
    # turned away who may still be of working age.
    if today >= retirement_date(person.birth_date, category_for(person.sex, "cadre")):
        raise DomainError("已达到法定退休年龄，不能办理就业失业登记", code="age")
    form, employer = "", ""
    if kind == EmploymentRegistration.Kind.EMPLOYMENT:
        form = _choice(data.get("form"), EmploymentRegistration.Form, "form", "就业形式")
        employer = _text(data.get("employer_name"), "employer_name", "用人单位或从业内容", 100)
    if str(data.get("commitment") or "") not in ("1", "on", "true", "True"):
        raise FieldValueError("commitment", "书面承诺", "须承诺所填信息真实")
    # 户籍地 or 常住地, whichever the person chooses: no check of household registration is made.
    region = person.hukou_region_code if basis == EmploymentRegistration.Basis.HUKOU else person.region_code
    return {
        "person": person,
        "kind": kind,
        "basis": basis,
        "region_code": region,
        "form": form,
        "employer_name": employer,
        "since": since,
        "commitment": True,
    }


@transaction.atomic
def registration_submit(
    *,
    actor: Any,
    kind: str,
    data: Mapping[str, object],
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Online self-declaration by the person, with the written commitment; decided within 10 working days."""
    person = _person(actor)
    details = _registration_details(person, kind, data)
    details["channel"] = EmploymentRegistration.Channel.ONLINE

    def payload(case: Case) -> None:
        EmploymentRegistration.objects.create(case=case, **details)

    case, _ = case_submit(
        case_type_code=f"flexible.{kind}",
        applicant_user=actor,
        accepting_region=details["region_code"],
        deciding_region=details["region_code"],
        person=person,
        idempotency_key=idempotency_key[:80],
        build_payload=payload,
        request=request,
    )
    return case


@transaction.atomic
def registration_counter(
    *, actor: Any, kind: str, data: Mapping[str, object], request: HttpRequest | None = None
) -> Case:
    """At the counter: the officer records the person's self-declaration; the case is due the same day. The
    person may register at this office whether it is their 户籍地 or their 常住地."""
    if not is_staff_role(actor):
        raise DomainError("只有经办人员可以窗口受理", code="forbidden", status=403)
    region = validate_region_code(actor.region_code, label="受理窗口所在地")
    person = person_get_or_create(
        actor=actor, name=data.get("name"), id_number=data.get("id_number"), region_code=region
    )
    details = _registration_details(person, kind, data)
    details["region_code"], details["channel"] = region, EmploymentRegistration.Channel.COUNTER

    def payload(case: Case) -> None:
        EmploymentRegistration.objects.create(case=case, **details)
        case.due_at, case.due_provisional = end_of_local_day(local_date(case.submitted_at)), False
        case.save(update_fields=["due_at", "due_provisional"])

    case, _ = case_submit(
        case_type_code=f"flexible.{kind}",
        applicant_user=person.user or actor,
        accepting_region=region,
        deciding_region=region,
        person=person,
        build_payload=payload,
        request=request,
    )
    return case


def certificate_issue(person: Person, region_code: str) -> Certificate:
    """The 《就业创业证》 number: issuing region, year and a per-region serial (one certificate per person)."""
    existing = Certificate.objects.filter(person=person).first()
    if existing is not None:
        return existing
    year = timezone.localdate().year
    serial = next_value(f"flexible:certificate:{region_code}:{year}")
    return Certificate.objects.create(person=person, number=f"{region_code}{year}{serial:08d}", region_code=region_code)


def on_registration_transition(case: Case, action: str, actor: Any) -> None:
    registration = EmploymentRegistration.objects.select_related("person").get(case=case)
    if action == "refuse":
        event = case.events.filter(action="refuse").order_by("-at", "-id").first()
        comment = event.comment if event else ""
        if any(word in comment for word in case_types.FORBIDDEN_REFUSAL_WORDS):
            raise DomainError(
                "不得以户籍、户口或档案为由拒绝办理就业失业登记（人社厅发〔2020〕3号），请在户籍地或常住地受理",
                code="hukou_refusal",
            )
    if action == "approve":
        certificate = certificate_issue(registration.person, registration.region_code)
        registration.certificate_number = certificate.number
        registration.save(update_fields=["certificate_number"])
        person = registration.person
        if registration.kind == EmploymentRegistration.Kind.UNEMPLOYMENT:
            person.employment = Employment.UNEMPLOYED
        else:
            person.employment = {
                EmploymentRegistration.Form.EMPLOYED: Employment.EMPLOYED,
                EmploymentRegistration.Form.SELF_EMPLOYED: Employment.SELF_EMPLOYED,
                EmploymentRegistration.Form.FLEXIBLE: Employment.FLEXIBLE,
            }[EmploymentRegistration.Form(registration.form)]
        person.save(update_fields=["employment", "updated_at"])
