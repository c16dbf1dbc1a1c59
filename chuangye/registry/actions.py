"""State changes on people, their key-group statuses and change requests: one function each, atomic, audited."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import STAFF_ROLES, Role
from chuangye.core.audit import record_event
from chuangye.core.dates import add_months
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.files import attachment_create
from chuangye.core.pii import blind_index
from chuangye.core.regions import in_scope
from chuangye.registry.models import ChangeRequest, KeyGroupCategory, KeyGroupEvent, KeyGroupStatus, Person
from chuangye.registry.validation import RegionCodes, clean_date, clean_name, clean_person

REVEALABLE = {"id_number": "身份证号", "phone": "手机号"}
# Fields a citizen may not change alone: they decide identity and jurisdiction (who serves the person).
CHANGE_REQUEST_FIELDS = {"name": "姓名", "hukou_region_code": "户籍地", "region_code": "常住地"}
SELF_EDITABLE = ("education", "school", "graduation_date", "employment")


class DuplicatePersonError(DomainError):
    def __init__(self, existing: Person) -> None:
        super().__init__(message="该身份证号已登记，请勿重复创建", code="duplicate", status=409)
        self.existing = existing


@dataclass
class PersonCreated:
    person: Person
    warnings: list[str] = field(default_factory=list)


def _require_staff(actor: Any) -> None:
    if getattr(actor, "role", None) not in STAFF_ROLES:
        raise DomainError("只有经办人员可以执行此操作", code="forbidden", status=403)


def _require_in_scope(actor: Any, region_code: str) -> None:
    if not in_scope(actor.region_code, region_code):
        raise FieldValueError("region_code", "常住地", "不在您的管辖范围内")


def similar_people(name: str, birth_date: dt.date) -> list[Person]:
    return list(Person.objects.filter(name=name, birth_date=birth_date, anonymised_at__isnull=True)[:5])


@transaction.atomic
def person_create(
    *,
    actor: Any,
    data: dict[str, object],
    confirm_similar: bool = False,
    request: HttpRequest | None = None,
    regions: RegionCodes | None = None,
) -> PersonCreated:
    """Register a person. The same ID number is refused with the existing record; the same name and birth date
    is a warning the case worker must confirm (``confirm_similar``) before the record is created."""
    _require_staff(actor)
    clean = clean_person(data, regions)
    _require_in_scope(actor, clean.region_code)
    existing = Person.objects.filter(id_number_index=blind_index(clean.id_number, "person.id_number")).first()
    if existing is not None:
        raise DuplicatePersonError(existing)
    similar = similar_people(clean.name, clean.birth_date)
    warnings = [f"已有同名同出生日期的人员：{p.name}（{p.id_number_masked}）" for p in similar]
    if warnings and not confirm_similar:
        raise DomainError("；".join(warnings) + "。确认不是同一人后再提交。", code="similar_person", status=409)
    person = Person(
        sex=clean.sex,
        birth_date=clean.birth_date,
        hukou_region_code=clean.hukou_region_code,
        region_code=clean.region_code,
        education=clean.education,
        school=clean.school,
        graduation_date=clean.graduation_date,
        employment=clean.employment,
    )
    person.set_name(clean.name)
    person.set_id_number(clean.id_number)
    person.set_phone(clean.phone)
    person.save()
    record_event(
        "person.create",
        actor=actor,
        object_type="person",
        object_id=person.pk,
        region_code=person.region_code,
        request=request,
    )
    return PersonCreated(person, warnings)


@transaction.atomic
def person_update_self(
    *, actor: Any, person: Person, data: Mapping[str, object], request: HttpRequest | None = None
) -> Person:
    """A citizen edits the fields that are theirs to keep current: education and employment."""
    if person.user_id != actor.pk:
        raise DomainError("只能修改本人信息", code="forbidden", status=403)
    from chuangye.registry.models import Education, Employment
    from chuangye.registry.validation import clean_choice

    person.education = clean_choice(data.get("education"), Education, field="education", label="学历")
    person.school = str(data.get("school") or "").strip()[:100]
    person.graduation_date = clean_date(data.get("graduation_date"), field="graduation_date", label="毕业日期")
    person.employment = (
        clean_choice(data.get("employment"), Employment, field="employment", label="就业状态") or person.employment
    )
    person.save(update_fields=[*SELF_EDITABLE, "updated_at"])
    record_event(
        "person.self_update",
        actor=actor,
        object_type="person",
        object_id=person.pk,
        region_code=person.region_code,
        request=request,
    )
    return person


def person_reveal_field(*, actor: Any, person: Person, field: str, reason: str, request: HttpRequest | None) -> str:
    """Show one personal field of one person in full, for a stated reason; the reveal is audited.

    The caller must already have fetched ``person`` through ``registry.access`` with ``actor``.
    """
    if field not in REVEALABLE:
        raise FieldValueError("field", "字段", "不可查看")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise FieldValueError("reason", "查看原因", "请写明查看原因（至少4个字）")
    record_event(
        "person.reveal",
        actor=actor,
        object_type="person",
        object_id=person.pk,
        region_code=person.region_code,
        details={"field": field, "reason": reason[:200]},
        request=request,
    )
    return str(getattr(person, field))


# Key-group statuses ---------------------------------------------------------------------------------------------


def _log(status: KeyGroupStatus, actor: Any, from_state: str, note: str = "") -> None:
    KeyGroupEvent.objects.create(
        status=status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_state=from_state,
        to_state=status.state,
        note=note,
    )


def category_for_person(person: Person, code: str) -> KeyGroupCategory:
    """A category the person may claim: national, or of the province they live in."""
    category = KeyGroupCategory.objects.filter(code=code, is_active=True).first()
    if category is None or (category.province_code and not person.region_code.startswith(category.province_code)):
        raise FieldValueError("category", "重点群体类别", "不存在或不适用于您所在省份")
    return category


@transaction.atomic
def key_group_declare(
    *,
    actor: Any,
    person: Person,
    category_code: str,
    declaration: str = "",
    evidence: Sequence[UploadedFile] | None = None,
    request: HttpRequest | None = None,
) -> KeyGroupStatus:
    """A person (or a case worker for them) declares membership of a key group, with evidence, for certification."""
    category = category_for_person(person, category_code)
    if KeyGroupStatus.objects.filter(person=person, category=category, state=KeyGroupStatus.State.PENDING).exists():
        raise ConflictError("该类别已有待认定的申报，请等待认定结果")
    if not evidence and actor.role == Role.CITIZEN:
        raise FieldValueError("evidence", "证明材料", f"请上传{category.evidence_hint or '证明材料'}")
    today = timezone.localdate()
    status = KeyGroupStatus.objects.create(
        person=person,
        category=category,
        valid_from=today,
        region_code=person.region_code,
        declared_by=actor,
        declaration=declaration.strip()[:1000],
    )
    for upload in evidence or []:
        attachment_create(
            upload=upload,
            object_type="key_group_status",
            object_id=status.pk,
            region_code=person.region_code,
            actor=actor,
            field="evidence",
            label="证明材料",
        )
    _log(status, actor, "", "申报")
    record_event(
        "key_group.declare",
        actor=actor,
        object_type="key_group_status",
        object_id=status.pk,
        region_code=person.region_code,
        details={"category": category.code},
        request=request,
    )
    return status


@transaction.atomic
def key_group_decide(
    *,
    actor: Any,
    status: KeyGroupStatus,
    certify: bool,
    note: str = "",
    valid_from: object = None,
    valid_to: object = None,
    request: HttpRequest | None = None,
) -> KeyGroupStatus:
    """Certify or reject a pending declaration. Whoever declared it cannot decide it (maker-checker)."""
    _require_staff(actor)
    locked = KeyGroupStatus.objects.select_for_update().get(pk=status.pk)
    if locked.state != KeyGroupStatus.State.PENDING:
        raise ConflictError("该申报已被处理，请刷新后查看")
    if locked.declared_by_id == actor.pk:
        raise DomainError("不能认定自己提交的申报", code="maker_checker", status=403)
    if not certify and len(note.strip()) < 2:
        raise FieldValueError("note", "认定意见", "不予认定时须说明理由")
    start = clean_date(valid_from, field="valid_from", label="有效期自") or locked.valid_from
    end = clean_date(valid_to, field="valid_to", label="有效期至")
    if end is None and locked.category.default_valid_months:
        end = add_months(start, locked.category.default_valid_months) - dt.timedelta(days=1)
    if end is not None and end < start:
        raise FieldValueError("valid_to", "有效期至", "不能早于有效期自")
    locked.state = KeyGroupStatus.State.CERTIFIED if certify else KeyGroupStatus.State.REJECTED
    locked.valid_from, locked.valid_to = start, end
    locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note.strip()
    locked.save()
    _log(locked, actor, KeyGroupStatus.State.PENDING, note)
    record_event(
        "key_group.certify" if certify else "key_group.reject",
        actor=actor,
        object_type="key_group_status",
        object_id=locked.pk,
        region_code=locked.region_code,
        request=request,
    )
    return locked


@transaction.atomic
def key_group_revoke(*, actor: Any, status: KeyGroupStatus, note: str, request: HttpRequest | None = None) -> None:
    _require_staff(actor)
    locked = KeyGroupStatus.objects.select_for_update().get(pk=status.pk)
    if locked.state != KeyGroupStatus.State.CERTIFIED:
        raise ConflictError("只能撤销已认定的身份")
    if len(note.strip()) < 2:
        raise FieldValueError("note", "撤销原因", "须说明撤销原因")
    locked.state = KeyGroupStatus.State.REVOKED
    locked.save(update_fields=["state"])
    _log(locked, actor, KeyGroupStatus.State.CERTIFIED, note)
    record_event(
        "key_group.revoke",
        actor=actor,
        object_type="key_group_status",
        object_id=locked.pk,
        region_code=locked.region_code,
        request=request,
    )


def key_group_certify_directly(
    *,
    actor: Any,
    person: Person,
    category: KeyGroupCategory,
    valid_from: dt.date,
    valid_to: dt.date | None,
    note: str,
) -> KeyGroupStatus:
    """A case worker records a status already certified elsewhere (bulk import of certified lists)."""
    _require_staff(actor)
    status = KeyGroupStatus.objects.create(
        person=person,
        category=category,
        state=KeyGroupStatus.State.CERTIFIED,
        valid_from=valid_from,
        valid_to=valid_to,
        region_code=person.region_code,
        declared_by=actor,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=note,
    )
    _log(status, actor, "", note)
    return status


# Change requests ------------------------------------------------------------------------------------------------


@transaction.atomic
def change_request_submit(
    *, actor: Any, person: Person, changes: dict[str, object], reason: str, request: HttpRequest | None = None
) -> ChangeRequest:
    """A citizen asks to change their name, household registration or usual residence; staff decide."""
    if person.user_id != actor.pk:
        raise DomainError("只能申请变更本人信息", code="forbidden", status=403)
    if ChangeRequest.objects.filter(person=person, state=ChangeRequest.State.PENDING).exists():
        raise ConflictError("已有待审核的变更申请，请等待审核结果")
    regions = RegionCodes()
    diff: dict[str, list[str]] = {}
    for name, value in changes.items():
        if name not in CHANGE_REQUEST_FIELDS or value in (None, ""):
            continue
        label = CHANGE_REQUEST_FIELDS[name]
        new = clean_name(value) if name == "name" else regions.check(value, field=name, label=label)
        old = str(getattr(person, name))
        if new != old:
            diff[name] = [old, new]
    if not diff:
        raise FieldValueError("changes", "变更内容", "没有需要变更的内容")
    if len(reason.strip()) < 4:
        raise FieldValueError("reason", "变更原因", "请写明变更原因（至少4个字）")
    change = ChangeRequest.objects.create(
        person=person, changes=diff, reason=reason.strip()[:500], region_code=person.region_code, requested_by=actor
    )
    record_event(
        "person.change_request",
        actor=actor,
        object_type="change_request",
        object_id=change.pk,
        region_code=person.region_code,
        details={"fields": sorted(diff)},
        request=request,
    )
    return change


@transaction.atomic
def change_request_decide(
    *, actor: Any, change: ChangeRequest, approve: bool, note: str = "", request: HttpRequest | None = None
) -> ChangeRequest:
    """Approve (apply every change at once) or reject a change request. The requester cannot decide it."""
    _require_staff(actor)
    locked = ChangeRequest.objects.select_for_update().select_related("person").get(pk=change.pk)
    if locked.state != ChangeRequest.State.PENDING:
        raise ConflictError("该申请已被处理，请刷新后查看")
    if locked.requested_by_id == actor.pk:
        raise DomainError("不能审核自己提交的申请", code="maker_checker", status=403)
    if not approve and len(note.strip()) < 2:
        raise FieldValueError("note", "审核意见", "不同意时须说明理由")
    person = locked.person
    if approve:
        for name, (old, new) in locked.changes.items():
            if str(getattr(person, name)) != old:
                raise ConflictError(f"「{CHANGE_REQUEST_FIELDS[name]}」已被修改，请驳回后让申请人重新提交")
            if name == "name":
                person.set_name(new)
            else:
                setattr(person, name, new)
        person.save()
    locked.state = ChangeRequest.State.APPROVED if approve else ChangeRequest.State.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note.strip()
    locked.save()
    record_event(
        "person.change_approve" if approve else "person.change_reject",
        actor=actor,
        object_type="change_request",
        object_id=locked.pk,
        region_code=locked.region_code,
        request=request,
    )
    return locked


@transaction.atomic
def person_get_or_create(*, actor: Any, name: object, id_number: object, region_code: str = "") -> Person:
    """The registry record for a founder named in an application, created if new. Refuses a name that does not
    match the one registered for that ID number. Not scoped: founders may live anywhere."""
    clean_name_value = clean_name(name)
    from chuangye.core.ids import parse_resident_id

    parsed = parse_resident_id(id_number)
    existing = Person.objects.filter(id_number_index=blind_index(parsed.number, "person.id_number")).first()
    if existing is not None:
        if existing.name != clean_name_value:
            raise FieldValueError("id_number", "身份证号", f"与姓名「{clean_name_value}」不符")
        return existing
    person = Person(
        sex=parsed.sex,
        birth_date=parsed.birth_date,
        hukou_region_code=parsed.region_code,
        region_code=region_code or parsed.region_code,
    )
    person.set_name(clean_name_value)
    person.set_id_number(parsed.number)
    person.save()
    record_event(
        "person.create",
        actor=actor,
        object_type="person",
        object_id=person.pk,
        region_code=person.region_code,
        details={"via": "registration"},
    )
    return person
