"""Social-insurance subsidy for flexible workers: the one-time enrolment, periodic claims and payment batches."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from chuangye.cases.actions import case_submit
from chuangye.cases.deadlines import local_date
from chuangye.cases.models import Case
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.files import attachment_create
from chuangye.core.money import allocate, parse_money
from chuangye.core.sequences import next_value
from chuangye.flexible.actions.common import MAX_CLAIM_MONTHS, _audit, _month, _person, _require_staff_in
from chuangye.flexible.models import PaymentBatch, SubsidyClaim, SubsidyEnrolment, SubsidyMonth
from chuangye.inbox.actions import notify
from chuangye.registry.models import Person


def _open_enrolment(person: Person) -> SubsidyEnrolment | None:
    return (
        SubsidyEnrolment.objects.filter(person=person)
        .exclude(case__state__in=["refused", "withdrawn"])
        .select_related("case")
        .first()
    )


@transaction.atomic
def enrolment_submit(
    *,
    actor: Any,
    declared_contribution: object,
    proof: UploadedFile | None,
    request: HttpRequest | None = None,
) -> Case:
    """Apply once for the subsidy, with the latest month's contribution and its receipt."""
    person = _person(actor)
    if _open_enrolment(person) is not None:
        raise ConflictError("您已申请过社会保险补贴资格，请按期申领，无需重复申请")
    paid = parse_money(
        declared_contribution, field="declared_contribution", label="最近一个月实际缴费", allow_zero=False
    )
    if proof is None:
        raise FieldValueError("proof", "缴费凭证", "请上传社会保险缴费凭证")

    def payload(case: Case) -> None:
        SubsidyEnrolment.objects.create(
            case=case, person=person, region_code=person.region_code, declared_contribution=paid
        )
        attachment_create(
            upload=proof,
            object_type="case",
            object_id=case.pk,
            region_code=case.region_code,
            actor=actor,
            field="proof",
            label="缴费凭证",
        )

    case, _ = case_submit(
        case_type_code="flexible.si_subsidy",
        applicant_user=actor,
        accepting_region=person.region_code,
        deciding_region=person.region_code,
        person=person,
        build_payload=payload,
        request=request,
    )
    return case


def _month_outcome(person: Person, enrolment: SubsidyEnrolment, month: dt.date, paid: Decimal, used: int) -> Any:
    """Decide one month: the policy sees the months used including this one and is evaluated on that month's last
    day (or today, for the current month), so the caps and the retirement rule apply month by month."""
    from chuangye.policies.decide import decide
    from chuangye.registry.facts import person_facts

    next_month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    on = min(next_month - dt.timedelta(days=1), timezone.localdate())
    facts = person_facts(person, on)
    facts["si_contribution_paid"] = f"{paid:.2f}"
    facts["si_subsidy_months_received"] = used
    first = enrolment.approved_on or timezone.localdate()
    facts["first_si_subsidy_date"] = first.isoformat()
    return decide("subsidy.social_insurance", facts, on=on, region_code=enrolment.region_code)


def enrolment_refusal(case: Case) -> str | None:
    """The approval guard: the policy decides on the declared contribution as of today."""
    enrolment = SubsidyEnrolment.objects.select_related("person").get(case=case)
    used = SubsidyMonth.objects.filter(person=enrolment.person).count() + 1
    today = timezone.localdate()
    outcome = _month_outcome(enrolment.person, enrolment, today.replace(day=1), enrolment.declared_contribution, used)
    if outcome.eligible:
        return None
    return "不符合补贴条件：" + "；".join(c.reason for c in outcome.criteria if not c.passed)


def on_enrolment_decided(case: Case, actor: Any) -> None:
    if case.state == "approved":
        SubsidyEnrolment.objects.filter(case=case).update(approved_on=local_date(case.decided_at or timezone.now()))


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = (current.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


@transaction.atomic
def claim_submit(
    *,
    actor: Any,
    first_month: object,
    last_month: object,
    contribution: object,
    proof: UploadedFile | None,
    request: HttpRequest | None = None,
) -> SubsidyClaim:
    """先缴后补: claim for months already paid, with the total paid and the receipt."""
    person = _person(actor)
    enrolment = _open_enrolment(person)
    if enrolment is None or enrolment.case.state != "approved":
        raise DomainError("请先申请并取得社会保险补贴资格", code="not_enrolled")
    first = _month(first_month, "first_month", "起始月份")
    last = _month(last_month, "last_month", "截止月份")
    if last < first:
        raise FieldValueError("last_month", "截止月份", "不能早于起始月份")
    if last > timezone.localdate().replace(day=1):
        raise FieldValueError("last_month", "截止月份", "先缴后补：不能申领尚未到来的月份")
    months = _months(first, last)
    if len(months) > MAX_CLAIM_MONTHS:
        raise FieldValueError("last_month", "截止月份", f"一次最多申领{MAX_CLAIM_MONTHS}个月")
    paid_before = set(SubsidyMonth.objects.filter(person=person, month__in=months).values_list("month", flat=True))
    if paid_before:
        listed = "、".join(f"{m:%Y年%m月}" for m in sorted(paid_before))
        raise FieldValueError("first_month", "起始月份", f"{listed}已经补贴过，同一月份不能重复申领")
    pending = SubsidyClaim.objects.filter(
        enrolment__person=person, status=SubsidyClaim.Status.SUBMITTED, first_month__lte=last, last_month__gte=first
    )
    if pending.exists():
        raise ConflictError("所选月份已有待审核的申领")
    paid = parse_money(contribution, field="contribution", label="实际缴费合计", allow_zero=False)
    if proof is None:
        raise FieldValueError("proof", "缴费凭证", "请上传所申领月份的缴费凭证")
    claim = SubsidyClaim.objects.create(
        enrolment=enrolment, region_code=enrolment.region_code, first_month=first, last_month=last, contribution=paid
    )
    attachment_create(
        upload=proof,
        object_type="si_claim",
        object_id=claim.pk,
        region_code=claim.region_code,
        actor=actor,
        field="proof",
        label="缴费凭证",
    )
    _audit("claim.submit", actor, claim, claim.region_code, request, months=len(months))
    return claim


@transaction.atomic
def claim_decide(
    *, actor: Any, claim: SubsidyClaim, approve: bool, note: str = "", request: HttpRequest | None = None
) -> SubsidyClaim:
    """The officer decides a claim. Each month is decided by the policy (≤ 2/3 of that month's contribution, the
    month caps and the retirement rule); months it refuses are left out. Each paid month is a row that the database
    keeps unique per person, so a month can never be paid twice."""
    fresh = SubsidyClaim.objects.select_for_update().select_related("enrolment__person").get(pk=claim.pk)
    _require_staff_in(actor, fresh.region_code)
    if fresh.status != SubsidyClaim.Status.SUBMITTED:
        raise ConflictError("该申领已审核")
    person, enrolment = fresh.enrolment.person, fresh.enrolment
    if person.user_id == actor.pk:
        raise DomainError("不能审核本人的申领", code="maker_checker", status=403)
    fresh.decided_by, fresh.decided_at = actor, timezone.now()
    if not approve:
        if len(note.strip()) < 2:
            raise FieldValueError("note", "审核意见", "不予补贴须写明理由")
        fresh.status, fresh.decision_note, fresh.amount = SubsidyClaim.Status.REJECTED, note.strip(), None
        fresh.save()
        _audit("claim.reject", actor, fresh, fresh.region_code, request)
        notify(person.user, "社会保险补贴申领未通过", note.strip(), link="/flexible/me/subsidy/")
        return fresh
    months = _months(fresh.first_month, fresh.last_month)
    shares = allocate(fresh.contribution, [1] * len(months))
    used = SubsidyMonth.objects.filter(person=person).count()
    lines: list[str] = []
    granted: list[tuple[dt.date, Decimal, Decimal]] = []
    total = Decimal("0.00")
    for month, paid in zip(months, shares, strict=True):
        outcome = _month_outcome(person, enrolment, month, paid, used + len(granted) + 1)
        if outcome.eligible and outcome.amount:
            granted.append((month, paid, outcome.amount))
            total += outcome.amount
            lines.append(f"{month:%Y年%m月}：缴费 {paid} 元，补贴 {outcome.amount} 元")
        else:
            reasons = "；".join(c.reason for c in outcome.criteria if not c.passed)
            lines.append(f"{month:%Y年%m月}：不予补贴（{reasons}）")
    if not granted:
        fresh.status, fresh.amount = SubsidyClaim.Status.REJECTED, None
    else:
        try:
            with transaction.atomic():
                SubsidyMonth.objects.bulk_create(
                    [SubsidyMonth(person=person, month=m, claim=fresh, contribution=p, amount=a) for m, p, a in granted]
                )
        except IntegrityError:
            raise ConflictError("所申领月份中有月份已经补贴过，同一月份不能重复补贴") from None
        fresh.status, fresh.amount = SubsidyClaim.Status.APPROVED, total
    fresh.decision_note = "\n".join([*lines, note.strip()] if note.strip() else lines)
    fresh.save()
    _audit("claim.decide", actor, fresh, fresh.region_code, request, status=fresh.status, amount=str(fresh.amount))
    notify(
        person.user,
        f"社会保险补贴申领{fresh.get_status_display()}",
        f"核定补贴 {fresh.amount} 元。" if fresh.amount else "",
        link="/flexible/me/subsidy/",
    )
    return fresh


@transaction.atomic
def batch_create(*, actor: Any, request: HttpRequest | None = None) -> PaymentBatch:
    """Gather the region's approved, unbatched claims into one payment batch."""
    _require_staff_in(actor, actor.region_code)
    from chuangye.accounts.access import region_filter

    scope = region_filter(actor)
    claims = SubsidyClaim.objects.select_for_update().filter(
        scope, status=SubsidyClaim.Status.APPROVED, batch__isnull=True
    )
    ids = list(claims.values_list("pk", flat=True))
    if not ids:
        raise DomainError("没有待拨付的已核定申领", code="empty")
    year = timezone.localdate().year
    serial = next_value(f"flexible:batch:{actor.region_code}:{year}")
    batch = PaymentBatch.objects.create(
        number=f"SBPF-{year}-{actor.region_code}-{serial:04d}", region_code=actor.region_code, created_by=actor
    )
    SubsidyClaim.objects.filter(pk__in=ids).update(batch=batch)
    batch.total = SubsidyClaim.objects.filter(batch=batch).aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
    batch.save(update_fields=["total"])
    _audit("batch.create", actor, batch, batch.region_code, request, claims=len(ids), total=str(batch.total))
    return batch


@transaction.atomic
def batch_pay(*, actor: Any, batch: PaymentBatch, request: HttpRequest | None = None) -> PaymentBatch:
    """Record that a batch was paid. A second officer confirms (not whoever made the batch)."""
    fresh = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    _require_staff_in(actor, fresh.region_code)
    if fresh.status != PaymentBatch.Status.OPEN:
        raise ConflictError("该批次已拨付")
    if fresh.created_by_id == actor.pk:
        raise DomainError("拨付须由生成批次以外的人员复核确认", code="maker_checker", status=403)
    fresh.status, fresh.paid_by, fresh.paid_at = PaymentBatch.Status.PAID, actor, timezone.now()
    fresh.save(update_fields=["status", "paid_by", "paid_at"])
    claims = SubsidyClaim.objects.filter(batch=fresh).select_related("enrolment__person__user")
    for claim in claims:
        notify(claim.enrolment.person.user, "社会保险补贴已拨付", f"{claim} 补贴 {claim.amount} 元已拨付。")
    claims.update(status=SubsidyClaim.Status.PAID)
    _audit("batch.pay", actor, fresh, fresh.region_code, request, total=str(fresh.total))
    return fresh
