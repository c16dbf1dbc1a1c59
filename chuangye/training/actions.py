"""Every state change of the training app: one function each, in a transaction, audited.

Listing institutions and trainers, applying to open a class (a ``training.class`` case), enrolment with a waiting
list, roster upload, attendance by staff entry or a per-session QR code, completion and certificates, subsidy claims
with a public notice period, and trainer competitions.
"""

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Organisation, Role
from chuangye.cases.actions import case_submit
from chuangye.core.audit import record_event
from chuangye.core.dates import add_months
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.money import ZERO, to_fen
from chuangye.core.regions import in_scope
from chuangye.core.sequences import next_value
from chuangye.core.workdays import add_workdays
from chuangye.inbox.actions import notify
from chuangye.policies.decide import decide
from chuangye.policies.facts import COURSES
from chuangye.policies.resolver import snapshot_for
from chuangye.registry.models import Founder, Person
from chuangye.training.access import institution_of
from chuangye.training.models import (
    Attendance,
    Certificate,
    Claim,
    ClaimLine,
    Competition,
    Enrolment,
    Entrant,
    Institution,
    Score,
    Session,
    Track,
    Trainer,
    TrainingClass,
)

POLICY = "subsidy.training"
QR_SALT = "training.attendance"
# A session's code is accepted from shortly before it starts until shortly after it ends.
QR_EARLY = dt.timedelta(minutes=30)
QR_LATE = dt.timedelta(minutes=30)
MAX_CAPACITY = 500


def param_value(name: str, region_code: str, on: dt.date) -> Any:
    """A training parameter's value for a region on a day (national default unless the region overrides it)."""
    return snapshot_for(on=on, region_code=region_code).value(name)


def _audit(action: str, actor: Any, obj: Any, region: str, request: HttpRequest | None, **details: Any) -> None:
    record_event(
        f"training.{action}",
        actor=actor,
        object_type=f"training.{type(obj).__name__}",
        object_id=obj.pk,
        region_code=region,
        details=details,
        request=request,
    )


def _require_staff(actor: Any, region_code: str) -> None:
    if getattr(actor, "role", None) not in (Role.OFFICER, Role.SUPERVISOR) or not in_scope(
        actor.region_code, region_code
    ):
        raise DomainError("只有本地区人社部门经办人员可以办理", code="forbidden", status=403)


def _require_institution(actor: Any) -> Institution:
    institution = institution_of(actor)
    if institution is None:
        raise DomainError("只有列入目录的培训机构可以办理", code="forbidden", status=403)
    return institution


def _date(value: Any, field: str, label: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise FieldValueError(field, label, "应为日期，格式 YYYY-MM-DD") from None


def _int(value: Any, field: str, label: str, *, low: int, high: int) -> int:
    text = str(value or "").strip()
    if not text.isdigit():
        raise FieldValueError(field, label, "应为整数")
    number = int(text)
    if not low <= number <= high:
        raise FieldValueError(field, label, f"应在 {low} 至 {high} 之间")
    return number


def _courses(values: Iterable[str], field: str, label: str) -> list[str]:
    codes = sorted({str(v).strip().upper() for v in values if str(v).strip()})
    unknown = [c for c in codes if c not in COURSES]
    if unknown:
        raise FieldValueError(field, label, "含有未知课程：" + "、".join(unknown))
    if not codes:
        raise FieldValueError(field, label, "至少选择一门课程")
    return codes


# Catalogue: institutions and trainers ---------------------------------------------------------------------------


@transaction.atomic
def institution_list(*, actor: Any, data: dict[str, Any], request: HttpRequest | None = None) -> Institution:
    """Put a training institution on the published list (or renew its listing) for a period."""
    code = str(data.get("credit_code", "")).strip().upper()
    org = Organisation.objects.filter(credit_code=code, kind=Organisation.Kind.TRAINING).first()
    if org is None:
        raise FieldValueError("credit_code", "统一社会信用代码", "未找到该培训机构（须为平台登记的培训机构）")
    _require_staff(actor, org.region_code)
    start = _date(data.get("listed_from"), "listed_from", "列入目录日期")
    until = _date(data.get("listed_until"), "listed_until", "目录有效期至")
    if until < start:
        raise FieldValueError("listed_until", "目录有效期至", "不能早于列入目录日期")
    document = str(data.get("document", "")).strip()
    if not document:
        raise FieldValueError("document", "公布文号", "必填")
    courses = _courses(data.get("courses") or [], "courses", "可承办课程")
    institution, _ = Institution.objects.update_or_create(
        organisation=org,
        defaults={
            "region_code": org.region_code,
            "courses": courses,
            "listed_from": start,
            "listed_until": until,
            "document": document[:100],
            "listed_by": actor,
        },
    )
    _audit("institution_listed", actor, institution, org.region_code, request, until=until.isoformat())
    return institution


@transaction.atomic
def trainer_register(
    *, actor: Any, institution: Institution, data: dict[str, Any], request: HttpRequest | None = None
) -> Trainer:
    _require_staff(actor, institution.region_code)
    name = str(data.get("name", "")).strip()
    if not 2 <= len(name) <= 50:
        raise FieldValueError("name", "姓名", "应为2至50个字")
    level = str(data.get("level", ""))
    if level not in Trainer.Level.values:
        raise FieldValueError("level", "资质等级", "请选择资质等级")
    number = str(data.get("certificate_number", "")).strip()
    if not number:
        raise FieldValueError("certificate_number", "讲师资格证书编号", "必填")
    if Trainer.objects.filter(certificate_number=number).exists():
        raise FieldValueError("certificate_number", "讲师资格证书编号", "已登记过")
    trainer = Trainer.objects.create(
        name=name,
        institution=institution,
        level=level,
        certificate_number=number[:40],
        courses=_courses(data.get("courses") or [], "courses", "可讲授课程"),
        valid_until=_date(data.get("valid_until"), "valid_until", "资格有效期至"),
        region_code=institution.region_code,
    )
    _audit("trainer_registered", actor, trainer, institution.region_code, request, name=name)
    return trainer


# Classes --------------------------------------------------------------------------------------------------------

_SESSION_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*[-–~至]\s*(\d{1,2}:\d{2})\s*(.*)$")


def parse_sessions(text: str) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """One session a line: ``2026-12-01 09:00-12:00 主题``. Times are local; every line is checked."""
    rows = []
    tz = timezone.get_current_timezone()
    for number, line in enumerate((ln.strip() for ln in str(text or "").splitlines() if ln.strip()), start=1):
        found = _SESSION_LINE.match(line)
        if not found:
            raise FieldValueError("sessions", "课程安排", f"第{number}行格式应为“2026-12-01 09:00-12:00 主题”")
        try:
            day = dt.date.fromisoformat(found.group(1))
            start = dt.datetime.combine(day, dt.time.fromisoformat(found.group(2).zfill(5)), tz)
            end = dt.datetime.combine(day, dt.time.fromisoformat(found.group(3).zfill(5)), tz)
        except ValueError:
            raise FieldValueError("sessions", "课程安排", f"第{number}行的日期或时间无效") from None
        if end <= start:
            raise FieldValueError("sessions", "课程安排", f"第{number}行的结束时间应晚于开始时间")
        rows.append((start, end, found.group(4).strip()[:100]))
    if not rows:
        raise FieldValueError("sessions", "课程安排", "至少安排一次课")
    rows.sort()
    for (_, end, _), (start, _, _) in pairwise(rows):
        if start < end:
            raise FieldValueError("sessions", "课程安排", "课次时间有重叠")
    return rows


@transaction.atomic
def class_apply(
    *,
    actor: Any,
    data: dict[str, Any],
    trainer_ids: Iterable[object],
    sessions_text: str,
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> TrainingClass:
    """An institution applies to open a class; the bureau of its region decides (case ``training.class``)."""
    institution = _require_institution(actor)
    today = timezone.localdate()
    course = str(data.get("course", "")).strip().upper()
    if course not in COURSES:
        raise FieldValueError("course", "课程", "请选择课程")
    if course not in institution.courses:
        raise FieldValueError("course", "课程", "本机构未列入该课程的承办目录")
    title = str(data.get("title", "")).strip()
    if not 2 <= len(title) <= 100:
        raise FieldValueError("title", "班级名称", "应为2至100个字")
    start = _date(data.get("start_date"), "start_date", "开班日期")
    end = _date(data.get("end_date"), "end_date", "结业日期")
    if start <= today:
        raise FieldValueError("start_date", "开班日期", "须在开班前申请，开班日期应晚于今天")
    if end < start:
        raise FieldValueError("end_date", "结业日期", "不能早于开班日期")
    if not institution.listed_on(start) or not institution.listed_on(end):
        raise FieldValueError("start_date", "开班日期", f"培训期间超出本机构目录有效期（至{institution.listed_until}）")
    online = str(data.get("online", "")) in ("1", "true", "on", "True")
    venue = str(data.get("venue", "")).strip()
    if not online and not venue:
        raise FieldValueError("venue", "培训地点", "线下培训须填写培训地点")
    capacity = _int(data.get("capacity"), "capacity", "计划人数", low=1, high=MAX_CAPACITY)
    hours = _int(data.get("hours"), "hours", "总学时", low=1, high=1000)
    standard = param_value(f"training.hours.{course}", institution.region_code, start)
    if standard is not None and hours < standard:
        raise FieldValueError("hours", "总学时", f"不得少于本地区{course}课时标准{standard}学时")
    ids = {int(str(t)) for t in trainer_ids if str(t).isdigit()}
    trainers = list(Trainer.objects.filter(pk__in=ids, institution=institution))
    if not trainers or len(trainers) != len(ids):
        raise FieldValueError("trainers", "授课讲师", "请选择本机构登记的讲师")
    for trainer in trainers:
        if not trainer.may_teach(course, end):
            raise FieldValueError("trainers", "授课讲师", f"{trainer.name}无{course}课程的有效授课资格（至结业日）")
    sessions = parse_sessions(sessions_text)
    if timezone.localtime(sessions[0][0]).date() < start or timezone.localtime(sessions[-1][1]).date() > end:
        raise FieldValueError("sessions", "课程安排", "课次应在开班日期与结业日期之间")
    region = institution.region_code
    built: dict[str, TrainingClass] = {}

    def build(case: Any) -> None:
        klass = TrainingClass.objects.create(
            case=case,
            institution=institution,
            course=course,
            title=title,
            region_code=region,
            start_date=start,
            end_date=end,
            online=online,
            venue=venue[:200],
            capacity=capacity,
            hours=hours,
        )
        klass.trainers.set(trainers)
        for number, (s, e, topic) in enumerate(sessions, start=1):
            Session.objects.create(
                training_class=klass, number=number, starts_at=s, ends_at=e, topic=topic, qr_nonce=secrets.token_hex(4)
            )
        built["class"] = klass

    case, created = case_submit(
        case_type_code="training.class",
        applicant_user=actor,
        accepting_region=region,
        deciding_region=region,
        idempotency_key=idempotency_key,
        build_payload=build,
        request=request,
    )
    klass = built.get("class") or TrainingClass.objects.get(case=case)
    if created:
        _audit("class_applied", actor, klass, region, request, course=course, case=case.number)
    return klass


def on_class_decided(case: Any, actor: Any) -> None:
    """The case engine's hook: record the approval time (the subsidy needs approval before the start)."""
    klass = TrainingClass.objects.get(case=case)
    if case.state == "approved":
        klass.approved_at = timezone.now()
        klass.save(update_fields=["approved_at"])
    _audit(f"class_{case.state}", actor, klass, klass.region_code, None, case=case.number)
    outcome = {"approved": "准予开班", "refused": "不予开班", "withdrawn": "已撤回"}.get(case.state, case.state)
    for user in klass.institution.organisation.users.filter(is_active=True).exclude(pk=case.applicant_user_id):
        notify(user, f"开班申请{outcome}：{klass.title}", case.number, link=f"/training/org/classes/{klass.pk}/")


# Enrolment ------------------------------------------------------------------------------------------------------


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


# Attendance -----------------------------------------------------------------------------------------------------


def qr_token(session: Session) -> str:
    """The signed code shown for one session; renewing the session's nonce voids codes shown before."""
    return signing.dumps({"s": session.pk, "n": session.qr_nonce}, salt=QR_SALT, compress=True)


@transaction.atomic
def qr_renew(*, actor: Any, session: Session, request: HttpRequest | None = None) -> Session:
    institution = _require_institution(actor)
    if session.training_class.institution_id != institution.pk:
        raise DomainError("记录不存在或无权访问", code="not_found", status=404)
    session.qr_nonce = secrets.token_hex(4)
    session.save(update_fields=["qr_nonce"])
    _audit("qr_renewed", actor, session, session.training_class.region_code, request)
    return session


def _record(session: Session, enrolment: Enrolment, method: str, actor: Any, request: HttpRequest | None) -> bool:
    try:
        with transaction.atomic():
            row = Attendance.objects.create(session=session, enrolment=enrolment, method=method, recorded_by=actor)
    except IntegrityError:
        return False
    _audit("attended", actor, row, session.training_class.region_code, request, method=method)
    return True


def session_for_token(token: str) -> Session:
    try:
        data = signing.loads(str(token or "").strip(), salt=QR_SALT)
    except signing.BadSignature:
        raise FieldValueError("t", "签到码", "无效，请重新扫描现场二维码") from None
    session = Session.objects.select_related("training_class").filter(pk=data.get("s")).first()
    if session is None or data.get("n") != session.qr_nonce:
        raise FieldValueError("t", "签到码", "已失效，请扫描现场最新的二维码")
    return session


@transaction.atomic
def attendance_check_in(
    *, actor: Any, token: str, session_id: object = None, request: HttpRequest | None = None
) -> Attendance:
    """The trainee scans the session's code: it must be genuine, current, for the session at hand and for a class
    they are enrolled in, and counts once."""
    session = session_for_token(token)
    if session_id not in (None, "") and str(session_id) != str(session.pk):
        raise FieldValueError("t", "签到码", "不是本次课的签到码")
    now = timezone.now()
    if now < session.starts_at - QR_EARLY:
        raise FieldValueError("t", "签到码", "本次课尚未开始签到")
    if now > session.ends_at + QR_LATE:
        raise FieldValueError("t", "签到码", "已过期，本次课签到已结束")
    person = getattr(actor, "person", None)
    enrolment = (
        Enrolment.objects.filter(
            training_class=session.training_class, person=person, status=Enrolment.Status.ENROLLED
        ).first()
        if person is not None
        else None
    )
    if enrolment is None:
        raise FieldValueError("t", "签到码", "您未报名该培训班，不能签到")
    if not _record(session, enrolment, Attendance.Method.QR, actor, request):
        raise ConflictError("本次课您已签到，签到码不能重复使用")
    return Attendance.objects.get(session=session, enrolment=enrolment)


@transaction.atomic
def attendance_enter(
    *, actor: Any, session: Session, enrolment_ids: Iterable[object], request: HttpRequest | None = None
) -> int:
    """The institution records who attended a session (staff entry). Returns how many were newly recorded."""
    institution = _require_institution(actor)
    klass = session.training_class
    if klass.institution_id != institution.pk:
        raise DomainError("记录不存在或无权访问", code="not_found", status=404)
    if klass.case.state != "approved":
        raise ConflictError("培训班未获批开班，不能登记考勤")
    if timezone.now() < session.starts_at - QR_EARLY:
        raise ConflictError("本次课尚未开始，不能登记考勤")
    ids = {int(str(i)) for i in enrolment_ids if str(i).isdigit()}
    enrolments = list(klass.enrolments.filter(pk__in=ids, status=Enrolment.Status.ENROLLED))
    if len(enrolments) != len(ids):
        raise FieldValueError("enrolments", "学员", "含有不属于本班的学员")
    return sum(_record(session, e, Attendance.Method.STAFF, actor, request) for e in enrolments)


def attendance_rate(enrolment: Enrolment) -> Decimal:
    total = enrolment.training_class.sessions.count()
    if not total:
        return Decimal("0.0000")
    attended = enrolment.attendances.count()
    return (Decimal(attended) / Decimal(total)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


# Completion and certificates ------------------------------------------------------------------------------------


@transaction.atomic
def assessment_record(
    *, actor: Any, klass: TrainingClass, results: dict[int, bool], request: HttpRequest | None = None
) -> int:
    institution = _require_institution(actor)
    if klass.institution_id != institution.pk:
        raise DomainError("记录不存在或无权访问", code="not_found", status=404)
    if klass.completed_at is not None:
        raise ConflictError("该班已结业，考核结果不能再修改")
    if timezone.localdate() < klass.end_date:
        raise ConflictError("培训尚未结束，结业日起可登记考核结果")
    changed = 0
    for enrolment in klass.enrolments.filter(status=Enrolment.Status.ENROLLED):
        if enrolment.pk in results:
            enrolment.assessment_passed = results[enrolment.pk]
            enrolment.save(update_fields=["assessment_passed"])
            changed += 1
    _audit("assessed", actor, klass, klass.region_code, request, count=changed)
    return changed


def _verify_code() -> str:
    return secrets.token_hex(5).upper()


@transaction.atomic
def class_complete(*, actor: Any, klass: TrainingClass, request: HttpRequest | None = None) -> list[Certificate]:
    """Close the class: trainees with attendance at or above the threshold and a passed assessment get the
    创业培训合格证书 (serial number and verification code)."""
    institution = _require_institution(actor)
    if klass.institution_id != institution.pk:
        raise DomainError("记录不存在或无权访问", code="not_found", status=404)
    klass = TrainingClass.objects.select_for_update().get(pk=klass.pk)
    if klass.case.state != "approved":
        raise ConflictError("培训班未获批开班，不能结业发证")
    if klass.completed_at is not None:
        raise ConflictError("该班已结业")
    today = timezone.localdate()
    if today < klass.end_date:
        raise ConflictError("培训尚未结束，不能结业")
    enrolled = list(klass.enrolments.filter(status=Enrolment.Status.ENROLLED).select_related("person"))
    if any(e.assessment_passed is None for e in enrolled):
        raise FieldValueError("assessment", "考核结果", "请先登记全部学员的考核结果")
    threshold = Fraction(param_value("training.attendance_threshold", klass.region_code, today) or 0)
    issued = []
    for enrolment in enrolled:
        rate = attendance_rate(enrolment)
        if not enrolment.assessment_passed or Fraction(rate) < threshold:
            continue
        seq = next_value(f"training:certificate:{today.year}:{klass.region_code}")
        issued.append(
            Certificate.objects.create(
                enrolment=enrolment,
                person=enrolment.person,
                course=klass.course,
                serial=f"CYPX-{today.year}-{klass.region_code}-{seq:06d}",
                verify_code=_verify_code(),
                issued_on=today,
                attendance_rate=rate,
                region_code=klass.region_code,
            )
        )
        notify(enrolment.person.user, "创业培训：已取得合格证书", klass.title, link="/training/me/", sms=True)
    klass.completed_at = timezone.now()
    klass.save(update_fields=["completed_at"])
    _audit("class_completed", actor, klass, klass.region_code, request, certificates=len(issued))
    return issued


# Subsidy claims -------------------------------------------------------------------------------------------------


def first_business_date(person: Person, until: dt.date) -> dt.date | None:
    found: dt.date | None = Founder.objects.filter(person=person, business__registered_on__lte=until).aggregate(
        first=Min("business__registered_on")
    )["first"]
    return found


def line_outcome(certificate: Certificate, klass: TrainingClass, today: dt.date) -> tuple[str, Decimal, str, Any]:
    """(status, amount, reason, decision JSON) for one certified trainee, by the policy engine."""
    person = certificate.person
    window = param_value("training.claim_window_months", klass.region_code, certificate.issued_on)
    if window is not None and today > add_months(certificate.issued_on, int(window)):
        return ClaimLine.Status.REJECTED, ZERO, f"超过取证后{window}个月的申报期限", {}
    prior = sorted(
        set(
            ClaimLine.objects.filter(
                person=person, status__in=[ClaimLine.Status.CLAIMED, ClaimLine.Status.PAID]
            ).values_list("course", flat=True)
        )
    )
    facts: dict[str, Any] = {
        "course": klass.course,
        "has_training_certificate": True,
        "previously_subsidised_courses": prior,
    }
    started = first_business_date(person, today)
    if started is not None:
        facts["business_started_on"] = started.isoformat()
    outcome = decide(POLICY, facts, on=certificate.issued_on, region_code=klass.region_code)
    body = outcome.as_json()
    if not outcome.eligible:
        reason = "；".join(c.reason for c in outcome.criteria if not c.passed)
        return ClaimLine.Status.REJECTED, ZERO, reason[:300], body
    if outcome.amount is None:
        return ClaimLine.Status.REJECTED, ZERO, (outcome.amount_note or "本地区尚未设定该课程的补贴标准")[:300], body
    amount = to_fen(Decimal(outcome.amount))
    full = param_value(f"subsidy.training.amount.{klass.course}", klass.region_code, certificate.issued_on)
    note = ""
    if full is not None and amount < to_fen(Decimal(full.numerator) / Decimal(full.denominator)):
        note = "结业后规定期限内未创业，按比例补贴"
    elif started is not None:
        note = f"已创业（{started:%Y-%m-%d}登记）"
    return ClaimLine.Status.CLAIMED, amount, note, body


@transaction.atomic
def claim_submit(*, actor: Any, klass: TrainingClass, request: HttpRequest | None = None) -> Claim:
    """The institution claims the subsidy for a completed class. Only a class approved before it started, taught
    by qualified trainers, can claim; each certified trainee is decided by the policy engine, and a person and
    course already claimed or paid anywhere is refused (by the database, whatever the race)."""
    institution = _require_institution(actor)
    if klass.institution_id != institution.pk:
        raise DomainError("记录不存在或无权访问", code="not_found", status=404)
    klass = TrainingClass.objects.select_for_update().get(pk=klass.pk)
    if klass.case.state != "approved" or klass.approved_at is None:
        raise ConflictError("该培训班未获批准开班，不能申报补贴")
    if timezone.localtime(klass.approved_at).date() >= klass.start_date:
        raise ConflictError("该培训班开班前未获批准，不享受培训补贴")
    if klass.completed_at is None:
        raise ConflictError("培训班结业发证后才能申报补贴")
    if Claim.objects.filter(training_class=klass).exclude(state=Claim.State.REFUSED).exists():
        raise ConflictError("该培训班已申报过补贴")
    unqualified = [t.name for t in klass.trainers.all() if not t.may_teach(klass.course, klass.end_date)]
    if unqualified:
        raise ConflictError("授课讲师无有效授课资格：" + "、".join(unqualified))
    today = timezone.localdate()
    certificates = list(
        Certificate.objects.filter(enrolment__training_class=klass).select_related("person", "enrolment")
    )
    if not certificates:
        raise ConflictError("该班没有取得合格证书的学员，无可申报补贴")
    seq = next_value(f"training:claim:{today.year}:{klass.region_code}")
    claim = Claim.objects.create(
        number=f"PXBT-{today.year}-{klass.region_code}-{seq:06d}",
        training_class=klass,
        institution=institution,
        region_code=klass.region_code,
        total=ZERO,
        submitted_by=actor,
    )
    total = ZERO
    for certificate in certificates:
        status, amount, reason, body = line_outcome(certificate, klass, today)
        line = ClaimLine(
            claim=claim,
            enrolment=certificate.enrolment,
            person=certificate.person,
            course=klass.course,
            status=status,
            amount=amount,
            reason=reason,
            decision=body,
        )
        try:
            with transaction.atomic():
                line.save()
        except IntegrityError:
            line.pk = None
            line.status, line.amount = ClaimLine.Status.REJECTED, ZERO
            line.reason = "该学员该课程已在其他申报中申报或已拨付，同一人同一课程只补贴一次"
            line.save()
        if line.status == ClaimLine.Status.CLAIMED:
            total += line.amount
    # Trainees who finished without the certificate are listed too, refused with the engine's reason.
    uncertified = klass.enrolments.filter(status=Enrolment.Status.ENROLLED, certificate__isnull=True)
    for enrolment in uncertified.select_related("person"):
        facts = {"course": klass.course, "has_training_certificate": False}
        outcome = decide(POLICY, facts, on=today, region_code=klass.region_code)
        reason = "；".join(c.reason for c in outcome.criteria if not c.passed)
        rate = attendance_rate(enrolment)
        ClaimLine.objects.create(
            claim=claim,
            enrolment=enrolment,
            person=enrolment.person,
            course=klass.course,
            status=ClaimLine.Status.REJECTED,
            amount=ZERO,
            reason=f"{reason}（出勤率{rate * 100:.1f}%，考核{'合格' if enrolment.assessment_passed else '不合格'}）"[
                :300
            ],
            decision=outcome.as_json(),
        )
    if total == ZERO:
        raise DomainError(
            "没有可申报补贴的学员：" + "；".join(sorted({ln.reason for ln in claim.lines.all()}))[:300],
            code="nothing_to_claim",
        )
    claim.total = total
    claim.save(update_fields=["total"])
    _audit("claim_submitted", actor, claim, klass.region_code, request, total=str(total))
    return claim


def _staff_claim(actor: Any, claim: Claim) -> Claim:
    _require_staff(actor, claim.region_code)
    return Claim.objects.select_for_update().get(pk=claim.pk)


@transaction.atomic
def claim_start_notice(*, actor: Any, claim: Claim, request: HttpRequest | None = None) -> Claim:
    """Publish the claim (公示) for the region's notice period in working days, from the next working day."""
    claim = _staff_claim(actor, claim)
    if claim.state != Claim.State.SUBMITTED:
        raise ConflictError(f"当前状态为「{claim.get_state_display()}」，不能发布公示")
    today = timezone.localdate()
    days = int(param_value("training.notice_workdays", claim.region_code, today) or 0)
    claim.notice_from = add_workdays(today, 1).date
    claim.notice_until = add_workdays(today, max(days, 1)).date
    claim.state = Claim.State.NOTICE
    claim.save(update_fields=["notice_from", "notice_until", "state"])
    _audit("claim_notice", actor, claim, claim.region_code, request, until=claim.notice_until.isoformat())
    return claim


@transaction.atomic
def claim_line_reject(*, actor: Any, line: ClaimLine, reason: str, request: HttpRequest | None = None) -> ClaimLine:
    """Take one trainee off a claim (e.g. after an objection during the notice period), with a reason."""
    claim = _staff_claim(actor, line.claim)
    if claim.state not in (Claim.State.SUBMITTED, Claim.State.NOTICE):
        raise ConflictError("该申报已办结，不能调整")
    if len(reason.strip()) < 2:
        raise FieldValueError("reason", "理由", "须写明不予补贴的理由")
    if line.status != ClaimLine.Status.CLAIMED:
        raise ConflictError("该学员已不在申报中")
    line.status, line.reason, line.amount = ClaimLine.Status.REJECTED, reason.strip()[:300], ZERO
    line.save(update_fields=["status", "reason", "amount"])
    claim.total = sum((ln.amount for ln in claim.lines.filter(status=ClaimLine.Status.CLAIMED)), ZERO)
    claim.save(update_fields=["total"])
    _audit("claim_line_rejected", actor, line, claim.region_code, request, reason=reason[:100])
    return line


@transaction.atomic
def claim_approve(*, actor: Any, claim: Claim, note: str = "", request: HttpRequest | None = None) -> Claim:
    """After the notice period has ended, the bureau approves payment: the claimed lines become paid."""
    claim = _staff_claim(actor, claim)
    if claim.state != Claim.State.NOTICE or claim.notice_until is None:
        raise ConflictError("须先公示，公示期满后才能核准拨付")
    if timezone.localdate() <= claim.notice_until:
        raise ConflictError(f"公示期至{claim.notice_until:%Y年%m月%d日}，期满后才能核准拨付")
    if claim.submitted_by_id == actor.pk:
        raise DomainError("不能审批本人提交的申报", code="maker_checker", status=403)
    paid = claim.lines.filter(status=ClaimLine.Status.CLAIMED)
    claim.total = sum((ln.amount for ln in paid), ZERO)
    paid.update(status=ClaimLine.Status.PAID)
    claim.state, claim.decided_by, claim.decided_at = Claim.State.APPROVED, actor, timezone.now()
    claim.decision_note = note.strip()[:500]
    claim.save()
    _audit("claim_approved", actor, claim, claim.region_code, request, total=str(claim.total))
    for user in claim.institution.organisation.users.filter(is_active=True):
        notify(user, f"创业培训补贴已核准拨付：{claim.number}", f"金额 {claim.total} 元。", link="/training/org/")
    return claim


@transaction.atomic
def claim_refuse(*, actor: Any, claim: Claim, note: str, request: HttpRequest | None = None) -> Claim:
    claim = _staff_claim(actor, claim)
    if claim.state not in (Claim.State.SUBMITTED, Claim.State.NOTICE):
        raise ConflictError("该申报已办结")
    if len(note.strip()) < 2:
        raise FieldValueError("note", "审核意见", "不予补贴须写明理由")
    claim.lines.filter(status=ClaimLine.Status.CLAIMED).update(status=ClaimLine.Status.REJECTED, amount=ZERO)
    claim.state, claim.decided_by, claim.decided_at = Claim.State.REFUSED, actor, timezone.now()
    claim.decision_note, claim.total = note.strip()[:500], ZERO
    claim.save()
    _audit("claim_refused", actor, claim, claim.region_code, request)
    return claim


# Trainer competitions -------------------------------------------------------------------------------------------

AWARDS = ((1, "一等奖"), (3, "二等奖"), (6, "三等奖"))  # ranks up to 1, 3, 6 per track; the rest 优秀奖


def _rubric(text: str) -> list[dict[str, Any]]:
    items = []
    for number, line in enumerate((ln.strip() for ln in str(text or "").splitlines() if ln.strip()), start=1):
        name, _, maximum = line.rpartition(" ")
        if not name.strip() or not maximum.isdigit() or not 1 <= int(maximum) <= 100:
            raise FieldValueError("rubric", "评分细则", f"第{number}行格式应为“评分项 分值”，分值1至100")
        items.append({"item": name.strip()[:50], "max": int(maximum)})
    if not items:
        raise FieldValueError("rubric", "评分细则", "至少一个评分项")
    return items


@transaction.atomic
def competition_create(*, actor: Any, data: dict[str, Any], request: HttpRequest | None = None) -> Competition:
    _require_staff(actor, actor.region_code)
    title = str(data.get("title", "")).strip()
    if not 2 <= len(title) <= 100:
        raise FieldValueError("title", "赛事名称", "应为2至100个字")
    tracks = [t.strip()[:50] for t in str(data.get("tracks", "")).replace("，", ",").split(",") if t.strip()]
    if not tracks:
        raise FieldValueError("tracks", "赛道", "至少一个赛道，用逗号分隔")
    competition = Competition.objects.create(
        title=title,
        region_code=actor.region_code,
        held_on=_date(data.get("held_on"), "held_on", "比赛日期"),
        rubric=_rubric(str(data.get("rubric", ""))),
        created_by=actor,
    )
    for name in dict.fromkeys(tracks):
        Track.objects.create(competition=competition, name=name)
    _audit("competition_created", actor, competition, competition.region_code, request)
    return competition


def _open_competition(actor: Any, competition: Competition) -> Competition:
    _require_staff(actor, competition.region_code)
    if competition.state != Competition.State.OPEN:
        raise ConflictError("比赛结果已公布，不能再修改")
    return competition


@transaction.atomic
def competition_add_judge(
    *, actor: Any, competition: Competition, username: str, request: HttpRequest | None = None
) -> None:
    from chuangye.accounts.models import User

    _open_competition(actor, competition)
    judge = User.objects.filter(username=str(username).strip(), is_active=True).first()
    if judge is None or judge.role not in (Role.OFFICER, Role.SUPERVISOR, Role.MENTOR):
        raise FieldValueError("username", "评委账号", "未找到该人社部门人员或创业导师账号")
    competition.judges.add(judge)
    _audit("judge_added", actor, competition, competition.region_code, request, judge=judge.username)


@transaction.atomic
def competition_add_entrant(
    *,
    actor: Any,
    competition: Competition,
    track_id: object,
    certificate_number: str,
    request: HttpRequest | None = None,
) -> Entrant:
    _open_competition(actor, competition)
    track = competition.tracks.filter(pk=int(str(track_id)) if str(track_id).isdigit() else 0).first()
    if track is None:
        raise FieldValueError("track", "赛道", "请选择赛道")
    trainer = Trainer.objects.filter(certificate_number=str(certificate_number).strip()).first()
    if trainer is None:
        raise FieldValueError("certificate_number", "讲师资格证书编号", "未找到该讲师")
    if Entrant.objects.filter(track=track, trainer=trainer).exists():
        raise FieldValueError("certificate_number", "讲师资格证书编号", "该讲师已报名本赛道")
    entrant = Entrant.objects.create(track=track, trainer=trainer)
    _audit("entrant_added", actor, entrant, competition.region_code, request)
    return entrant


@transaction.atomic
def score_submit(*, actor: Any, entrant: Entrant, items: list[str], request: HttpRequest | None = None) -> Score:
    """A judge scores one entrant by the rubric, once."""
    competition = entrant.track.competition
    if not competition.judges.filter(pk=actor.pk).exists():
        raise DomainError("您不是本次比赛的评委", code="forbidden", status=403)
    if competition.state != Competition.State.OPEN:
        raise ConflictError("比赛结果已公布，不能再评分")
    if len(items) != len(competition.rubric):
        raise FieldValueError("score", "评分", "请逐项打分")
    values = []
    for rubric, raw in zip(competition.rubric, items, strict=True):
        try:
            value = Decimal(str(raw).strip())
        except ArithmeticError:
            raise FieldValueError("score", rubric["item"], "应为数字") from None
        if not value.is_finite() or value < 0 or value > rubric["max"] or value != value.quantize(Decimal("0.1")):
            raise FieldValueError("score", rubric["item"], f"应在0至{rubric['max']}之间，最多一位小数")
        values.append(value)
    try:
        with transaction.atomic():
            score = Score.objects.create(
                entrant=entrant, judge=actor, items=[str(v) for v in values], total=sum(values, Decimal(0))
            )
    except IntegrityError:
        raise ConflictError("您已为该选手评过分") from None
    _audit("scored", actor, score, competition.region_code, request)
    return score


def trimmed_mean(totals: list[Decimal]) -> Decimal:
    """The mean after dropping one highest and one lowest score (with at least three judges)."""
    ordered = sorted(totals)
    kept = ordered[1:-1] if len(ordered) >= 3 else ordered
    return (sum(kept, Decimal(0)) / len(kept)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def competition_publish(*, actor: Any, competition: Competition, request: HttpRequest | None = None) -> Competition:
    """Compute each entrant's final score, rank within each track, give awards and publish the results."""
    _open_competition(actor, competition)
    judges = competition.judges.count()
    if judges < 3:
        raise ConflictError("至少需要3名评委（去掉一个最高分和一个最低分）")
    entrants = list(Entrant.objects.filter(track__competition=competition).prefetch_related("scores"))
    if not entrants:
        raise ConflictError("还没有参赛选手")
    missing = [e.trainer.name for e in entrants if e.scores.count() < judges]
    if missing:
        raise ConflictError("以下选手尚未被全部评委评分：" + "、".join(missing[:10]))
    for track in competition.tracks.all():
        rows = [e for e in entrants if e.track_id == track.pk]
        for entrant in rows:
            entrant.final_score = trimmed_mean([s.total for s in entrant.scores.all()])
        rows.sort(key=lambda e: (-(e.final_score or 0), e.pk))
        rank = 0
        previous: Decimal | None = None
        for position, entrant in enumerate(rows, start=1):
            if entrant.final_score != previous:
                rank, previous = position, entrant.final_score
            entrant.rank = rank
            entrant.award = next((label for upto, label in AWARDS if rank <= upto), "优秀奖")
            entrant.save(update_fields=["final_score", "rank", "award"])
    competition.state, competition.published_at = Competition.State.PUBLISHED, timezone.now()
    competition.save(update_fields=["state", "published_at"])
    _audit("competition_published", actor, competition, competition.region_code, request)
    return competition
