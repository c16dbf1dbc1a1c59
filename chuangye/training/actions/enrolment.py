"""Enrolment in a class: places with a waiting list, cancellation and the roster upload."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Role
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.inbox.actions import notify
from chuangye.policies.decide import decide
from chuangye.registry.models import Person
from chuangye.training.actions.common import POLICY, _audit, _require_institution
from chuangye.training.models import ClaimLine, Enrolment, TrainingClass


def _subsidy_outlook(person: Person, klass: TrainingClass) -> tuple[bool, str]:
    """The policy engine's view before training: would a certificate in this course be subsidised?"""
    prior = sorted(
        set(
            ClaimLine.objects.filter(
                person=person, status__in=[ClaimLine.Status.CLAIMED, ClaimLine.Status.PAID]
            ).values_list("course", flat=True)
        )
    )
    facts = {"course": klass.course, "has_training_certificate": True, "previously_subsidised_courses": prior}
    outcome = decide(POLICY, facts, on=timezone.localdate(), region_code=klass.region_code)
    failed = [c.reason for c in outcome.criteria if c.code != "certificate" and not c.passed]
    if failed:
        return False, "；".join(failed)[:200]
    return True, ""


def _place(klass: TrainingClass, person: Person, source: str, actor: Any, request: HttpRequest | None) -> Enrolment:
    """Enrol or put on the waiting list; refused after the start, twice in one class, or for unapproved classes."""
    if klass.case.state != "approved":
        raise ConflictError("该培训班尚未获批开班，不能报名")
    if timezone.localdate() >= klass.start_date:
        raise ConflictError("该培训班已开班，不能再报名")
    existing = Enrolment.objects.filter(training_class=klass, person=person).first()
    if existing is not None and existing.status != Enrolment.Status.CANCELLED:
        raise ConflictError(f"{person.name}已报名该培训班")
    TrainingClass.objects.select_for_update().get(pk=klass.pk)  # one seat count at a time
    taken = Enrolment.objects.filter(training_class=klass, status=Enrolment.Status.ENROLLED).count()
    status = Enrolment.Status.ENROLLED if taken < klass.capacity else Enrolment.Status.WAITING
    expected, note = _subsidy_outlook(person, klass)
    if existing is not None:
        enrolment = existing
        enrolment.status, enrolment.source, enrolment.enrolled_at = status, source, timezone.now()
        enrolment.subsidy_expected, enrolment.subsidy_note = expected, note
        enrolment.save()
    else:
        enrolment = Enrolment.objects.create(
            training_class=klass,
            person=person,
            status=status,
            source=source,
            subsidy_expected=expected,
            subsidy_note=note,
        )
    _audit("enrolled", actor, enrolment, klass.region_code, request, status=status, source=source)
    return enrolment


@transaction.atomic
def enrol(*, actor: Any, klass: TrainingClass, request: HttpRequest | None = None) -> Enrolment:
    person = getattr(actor, "person", None)
    if actor.role != Role.CITIZEN or person is None:
        raise DomainError("请先完成实名登记后再报名", code="forbidden", status=403)
    enrolment = _place(klass, person, Enrolment.Source.PORTAL, actor, request)
    title = "报名成功" if enrolment.status == Enrolment.Status.ENROLLED else "已满员，已列入候补"
    notify(actor, f"创业培训：{title}", f"{klass.title}（{klass.start_date:%Y年%m月%d日}开班）。", link="/training/me/")
    return enrolment


@transaction.atomic
def enrolment_cancel(*, actor: Any, enrolment: Enrolment, request: HttpRequest | None = None) -> Enrolment:
    """The trainee cancels before the start; the first on the waiting list takes the seat."""
    if enrolment.person.user_id != actor.pk:
        raise DomainError("只能取消本人的报名", code="forbidden", status=403)
    klass = enrolment.training_class
    if timezone.localdate() >= klass.start_date:
        raise ConflictError("培训班已开班，不能取消报名")
    if enrolment.status == Enrolment.Status.CANCELLED:
        raise ConflictError("该报名已取消")
    was_enrolled = enrolment.status == Enrolment.Status.ENROLLED
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.save(update_fields=["status"])
    _audit("enrolment_cancelled", actor, enrolment, klass.region_code, request)
    if was_enrolled:
        waiting = klass.enrolments.filter(status=Enrolment.Status.WAITING).order_by("enrolled_at", "id").first()
        if waiting is not None:
            waiting.status = Enrolment.Status.ENROLLED
            waiting.save(update_fields=["status"])
            _audit("enrolment_promoted", actor, waiting, klass.region_code, request)
            notify(waiting.person.user, "创业培训：候补转为正式报名", klass.title, link="/training/me/", sms=True)
    return enrolment


ROSTER_HEADERS = ("姓名", "身份证号")


@transaction.atomic
def roster_upload(
    *, actor: Any, klass: TrainingClass, upload: Any, request: HttpRequest | None = None
) -> list[Enrolment]:
    """An institution uploads its roster (xlsx: 姓名, 身份证号). Every row is checked first; any bad row (unknown
    person, name mismatch, duplicate in the file, already enrolled) refuses the whole file, naming the row."""
    from openpyxl import load_workbook

    from chuangye.core.pii import blind_index

    institution = _require_institution(actor)
    if klass.institution_id != institution.pk:
        raise DomainError("记录不存在或无权访问", code="not_found", status=404)
    if upload is None:
        raise FieldValueError("roster", "花名册", "请选择 xlsx 文件")
    try:
        sheet = load_workbook(upload, read_only=True, data_only=True).active
        rows = list(sheet.iter_rows(values_only=True)) if sheet is not None else []
    except Exception:  # any unreadable file is the same refusal
        raise FieldValueError("roster", "花名册", "无法读取，请上传 Excel（xlsx）文件") from None
    if not rows or tuple(str(c or "").strip() for c in rows[0][:2]) != ROSTER_HEADERS:
        raise FieldValueError("roster", "花名册", "第1行应为表头：姓名、身份证号")
    problems: list[str] = []
    seen: dict[str, int] = {}
    people: list[Person] = []
    for number, row in enumerate(rows[1:], start=2):
        name = str(row[0] or "").strip() if row else ""
        id_number = str(row[1] or "").strip().upper() if row and len(row) > 1 else ""
        if not name and not id_number:
            continue
        if id_number in seen:
            problems.append(f"第{number}行：与第{seen[id_number]}行重复")
            continue
        seen[id_number] = number
        person = Person.objects.filter(id_number_index=blind_index(id_number, "person.id_number")).first()
        if person is None:
            problems.append(f"第{number}行：身份证号未在人员库中登记")
            continue
        if person.name != name:
            problems.append(f"第{number}行：姓名与人员库不一致")
            continue
        if klass.enrolments.filter(person=person).exclude(status=Enrolment.Status.CANCELLED).exists():
            problems.append(f"第{number}行：{name}已报名该培训班")
            continue
        people.append(person)
    if problems:
        raise DomainError("花名册未导入：" + "；".join(problems[:20]), code="roster_rejected")
    if not people:
        raise FieldValueError("roster", "花名册", "没有学员数据")
    taken = klass.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    if taken + len(people) > klass.capacity:
        raise FieldValueError(
            "roster",
            "花名册",
            f"共{len(people)}人，超过剩余名额{max(klass.capacity - taken, 0)}人（计划人数{klass.capacity}）",
        )
    return [_place(klass, person, Enrolment.Source.ROSTER, actor, request) for person in people]
