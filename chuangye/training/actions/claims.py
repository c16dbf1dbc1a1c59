"""Training subsidy claims: the outcome of each line, submission, the public notice period and decisions."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.http import HttpRequest
from django.utils import timezone

from chuangye.core.dates import add_months
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.money import ZERO, to_fen
from chuangye.core.sequences import next_value
from chuangye.core.workdays import add_workdays
from chuangye.inbox.actions import notify
from chuangye.policies.decide import decide
from chuangye.registry.models import Founder, Person
from chuangye.training.actions.attendance import attendance_rate
from chuangye.training.actions.common import POLICY, _audit, _require_institution, _require_staff, param_value
from chuangye.training.models import Certificate, Claim, ClaimLine, Enrolment, TrainingClass


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
