"""Attendance (staff entry or a per-session QR code), assessments, completion and certificates."""

import secrets
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.sequences import next_value
from chuangye.inbox.actions import notify
from chuangye.training.actions.common import QR_EARLY, QR_LATE, QR_SALT, _audit, _require_institution, param_value
from chuangye.training.models import Attendance, Certificate, Enrolment, Session, TrainingClass


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
