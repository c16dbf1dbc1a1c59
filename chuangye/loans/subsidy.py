"""Interest subsidy (先付后贴): each quarter a bank claims the subsidy on interest its borrowers actually paid in the
previous quarter; the bureau reviews each claim and approves a payment batch; totals reconcile to the 分.

One claim line per interest period (schedule row) whose interest was fully paid within the quarter, each period
claimed once. The amount per line is ``loan.interest_subsidy`` for that period — evaluated for all lines at once by
the policy engine's batch evaluator, which gives exactly what the per-person evaluator gives — and never more than
the interest paid. Periods in extension (unless a regional parameter allows it) or paid late earn nothing, and the
line says why.
"""

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Organisation, Role
from chuangye.core.audit import record_event
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.money import ZERO
from chuangye.core.regions import in_scope, significant_prefix
from chuangye.core.sequences import next_value
from chuangye.loans import ledger
from chuangye.loans.access import partner_kind
from chuangye.loans.models import (
    AccountKind,
    LedgerTransaction,
    ScheduleRow,
    SubsidyBatch,
    SubsidyClaim,
    SubsidyLine,
)
from chuangye.loans.params import loan_param
from chuangye.policies.batch import evaluate_batch
from chuangye.policies.catalogue import get_policy
from chuangye.policies.decide import decide
from chuangye.policies.facts import RATE_PLACES
from chuangye.policies.resolver import snapshot_for

POLICY = "loan.interest_subsidy"
RATE_DENOMINATOR = 10**RATE_PLACES  # the batch evaluator reads rates as integer millionths
REASONS = {
    "contract_covered": "合同签订日不适用本目录贴息政策",
    "not_extended": "展期期间不予贴息",
    "not_overdue": "逾期还息的计息期不予贴息",
}


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise FieldValueError("quarter", "申报季度", "应为 2000–2100 年的第1至4季度")
    last_month = quarter * 3
    return dt.date(year, last_month - 2, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def claimable_rows(bank: Organisation, start: dt.date, end: dt.date) -> QuerySet[ScheduleRow]:
    """Periods of the bank's loans whose interest was fully paid within [start, end] and not yet claimed."""
    return (
        ScheduleRow.objects.filter(
            loan__bank=bank, interest_settled_on__gte=start, interest_settled_on__lte=end, interest__gt=0
        )
        .exclude(subsidy_lines__active=True)
        .select_related("loan")
        .order_by("loan_id", "number")
    )


def _frame(rows: Sequence[ScheduleRow], extension_subsidised: bool) -> pl.DataFrame:
    """The policy's facts for every period, as the batch evaluator's integer columns (分 and millionths)."""
    return pl.DataFrame(
        {
            "contract_date": [r.loan.contract_date for r in rows],
            "principal": [int(r.opening_balance * 100) for r in rows],
            "annual_rate": [int(r.loan.annual_rate * RATE_DENOMINATOR) for r in rows],
            "days": [r.days for r in rows],
            "is_small_micro": [r.loan.is_small_micro for r in rows],
            "extended": [r.in_extension and not extension_subsidised for r in rows],
            "overdue": [r.interest_settled_on is not None and r.interest_settled_on > r.due for r in rows],
        },
        schema={
            "contract_date": pl.Date(),
            "principal": pl.Int64(),
            "annual_rate": pl.Int64(),
            "days": pl.Int64(),
            "is_small_micro": pl.Boolean(),
            "extended": pl.Boolean(),
            "overdue": pl.Boolean(),
        },
    )


def compute_lines(rows: Sequence[ScheduleRow], *, region_code: str, on: dt.date) -> list[SubsidyLine]:
    """One unsaved line per period with the engine's amount, capped at the interest paid, and its reason."""
    if not rows:
        return []
    subsidised = loan_param("loan.extension.subsidised", on=on, region_code=region_code).value
    frame = _frame(rows, subsidised)
    result = evaluate_batch(get_policy(POLICY), frame, snapshot_for(on=on, region_code=region_code), criteria=True)
    lines = []
    for row, out in zip(rows, result.iter_rows(named=True), strict=True):
        amount = ZERO if out["amount_fen"] is None else Decimal(out["amount_fen"]) / 100
        reason = "；".join(text for code, text in REASONS.items() if not out[code])
        if out["eligible"] and amount > row.paid_interest:
            amount, reason = row.paid_interest, "贴息以实际支付的利息为限"
        lines.append(
            SubsidyLine(
                loan=row.loan,
                row=row,
                period_start=row.period_start,
                due=row.due,
                days=row.days,
                principal_basis=row.opening_balance,
                interest_paid=row.paid_interest,
                amount=amount.quantize(Decimal("0.01")),
                eligible=bool(out["eligible"]),
                reason=reason,
            )
        )
    return lines


def _parameters(rows: Sequence[ScheduleRow], region_code: str, on: dt.date) -> list[dict[str, Any]]:
    """The parameters the engine used, with their sources, for the record (from the claim's first period)."""
    row = rows[0]
    facts = {
        "contract_date": row.loan.contract_date.isoformat(),
        "principal": str(row.opening_balance),
        "annual_rate": format(row.loan.annual_rate.normalize(), "f"),
        "days": row.days,
    }
    return [
        {"name": p.name, "value": str(p.value), "source": p.source}
        for p in decide(POLICY, facts, on=on, region_code=region_code).parameters
    ]


def _check_filing(actor: Any, year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if partner_kind(actor) != Organisation.Kind.BANK:
        raise DomainError("只有经办银行可以申报贴息", code="forbidden", status=403)
    start, end = quarter_bounds(year, quarter)
    if timezone.localdate() <= end:
        raise FieldValueError("quarter", "申报季度", f"{year}年第{quarter}季度尚未结束，季度结束后申报（先付后贴）")
    return start, end


def _claimed(bank: Organisation, year: int, quarter: int) -> QuerySet[SubsidyClaim]:
    return SubsidyClaim.objects.filter(bank=bank, year=year, quarter=quarter).exclude(state="refused")


def claimable_regions(bank: Organisation, year: int, quarter: int) -> list[str]:
    """The regions in which the bank has periods to claim for the quarter and no claim yet (the parts of the
    ``loans.subsidy_claims`` job)."""
    start, end = quarter_bounds(year, quarter)
    regions = set(claimable_rows(bank, start, end).values_list("loan__region_code", flat=True).distinct())
    return sorted(regions - set(_claimed(bank, year, quarter).values_list("region_code", flat=True)))


def _file_region(
    actor: Any, rows: list[ScheduleRow], region: str, year: int, quarter: int, end: dt.date, request: HttpRequest | None
) -> SubsidyClaim:
    bank = actor.organisation
    lines = compute_lines(rows, region_code=region, on=end)
    claim = SubsidyClaim.objects.create(
        bank=bank,
        region_code=region,
        year=year,
        quarter=quarter,
        total=sum((line.amount for line in lines), ZERO),
        interest_total=sum((line.interest_paid for line in lines), ZERO),
        line_count=len(lines),
        parameters=_parameters(rows, region, end),
        filed_by=actor,
    )
    for line in lines:
        line.claim = claim
    SubsidyLine.objects.bulk_create(lines, batch_size=5000)
    record_event(
        "loans.subsidy_claim_filed",
        actor=actor,
        object_type="loans.SubsidyClaim",
        object_id=claim.pk,
        region_code=region,
        details={"quarter": claim.period_label, "total": str(claim.total), "lines": claim.line_count},
        request=request,
    )
    return claim


@transaction.atomic
def subsidy_claim_file(
    *, actor: Any, year: int, quarter: int, request: HttpRequest | None = None
) -> list[SubsidyClaim]:
    """The bank claims the subsidy for a finished quarter: one claim per region its loans are in."""
    start, end = _check_filing(actor, year, quarter)
    bank = actor.organisation
    if _claimed(bank, year, quarter).exists():
        raise ConflictError(f"{year}年第{quarter}季度已申报贴息，不能重复申报")
    by_region: dict[str, list[ScheduleRow]] = defaultdict(list)
    for row in claimable_rows(bank, start, end):
        by_region[row.loan.region_code].append(row)
    if not by_region:
        raise DomainError(f"{year}年第{quarter}季度没有已付息的贷款可申报贴息", code="nothing_to_claim")
    return [
        _file_region(actor, rows, region, year, quarter, end, request) for region, rows in sorted(by_region.items())
    ]


@transaction.atomic
def subsidy_claim_file_region(*, actor: Any, year: int, quarter: int, region: str) -> SubsidyClaim | None:
    """One region's claim of a bank's quarter (one part of the ``loans.subsidy_claims`` job). Idempotent: a region
    already claimed, or with nothing to claim, files nothing and returns None. The bank's row is locked first, so
    two runs of the same part cannot both file."""
    start, end = _check_filing(actor, year, quarter)
    bank = Organisation.objects.select_for_update().get(pk=actor.organisation_id)
    if _claimed(bank, year, quarter).filter(region_code=region).exists():
        return None
    rows = list(claimable_rows(bank, start, end).filter(loan__region_code=region))
    if not rows:
        return None
    return _file_region(actor, rows, region, year, quarter, end, None)


def subsidy_claims_start(*, actor: Any, year: int, quarter: int) -> Any:
    """Start the quarter's filing as a background job split by region (for banks with many loans); the same
    quarter is started once. Returns the job (``chuangye.jobs``)."""
    from chuangye.jobs.actions import job_start

    _check_filing(actor, year, quarter)
    bank = actor.organisation
    if not claimable_regions(bank, year, quarter):
        if _claimed(bank, year, quarter).exists():
            raise ConflictError(f"{year}年第{quarter}季度已申报贴息，不能重复申报")
        raise DomainError(f"{year}年第{quarter}季度没有已付息的贷款可申报贴息", code="nothing_to_claim")
    from chuangye.jobs.models import Job, State

    label = f"{bank.name} {year}年第{quarter}季度贴息申报"
    running = Job.objects.filter(
        kind="loans.subsidy_claims", label=label, state__in=[State.QUEUED, State.RUNNING]
    ).first()
    if running is not None:  # a double click: the filing already under way
        return running
    return job_start(
        "loans.subsidy_claims",
        {"actor_id": actor.pk, "year": year, "quarter": quarter},
        actor=actor,
        region_code=bank.region_code,
        label=label,
    )


def _require_bureau(actor: Any, region_code: str, *, supervisor: bool = False) -> None:
    allowed = (Role.SUPERVISOR,) if supervisor else (Role.OFFICER, Role.SUPERVISOR)
    if getattr(actor, "role", None) not in allowed or not in_scope(actor.region_code, region_code):
        raise DomainError(
            "只有经办地人社部门可以办理" + ("（须由主管审批）" if supervisor else ""), code="forbidden", status=403
        )


@transaction.atomic
def subsidy_claim_review(
    *, actor: Any, claim: SubsidyClaim, approve: bool, note: str = "", request: HttpRequest | None = None
) -> SubsidyClaim:
    """The bureau approves a claim (the subsidy becomes payable to the bank) or refuses it with a reason (its
    periods may then be claimed again)."""
    _require_bureau(actor, claim.region_code)
    claim = SubsidyClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.state != SubsidyClaim.State.FILED:
        raise ConflictError("该贴息申报已审核")
    if approve:
        ledger.post(
            LedgerTransaction.Kind.SUBSIDY_APPROVAL,
            on=timezone.localdate(),
            lines=[
                (ledger.account(AccountKind.SUBSIDY_EXPENSE, region_code=claim.region_code), claim.total),
                (
                    ledger.account(AccountKind.SUBSIDY_PAYABLE, bank=claim.bank, region_code=claim.region_code),
                    -claim.total,
                ),
            ],
            memo=f"{claim.bank.name} {claim.period_label} 贴息核定",
            actor=actor,
        )
        claim.state = SubsidyClaim.State.APPROVED
    else:
        if len(note.strip()) < 2:
            raise FieldValueError("note", "退回理由", "须写明退回理由")
        claim.state = SubsidyClaim.State.REFUSED
        claim.lines.update(active=False)
    claim.reviewed_by, claim.note = actor, note.strip()[:500]
    claim.save(update_fields=["state", "reviewed_by", "note"])
    record_event(
        "loans.subsidy_claim_" + ("approved" if approve else "refused"),
        actor=actor,
        object_type="loans.SubsidyClaim",
        object_id=claim.pk,
        region_code=claim.region_code,
        details={"total": str(claim.total)},
        request=request,
    )
    return claim


@transaction.atomic
def subsidy_batch_create(
    *, actor: Any, region_code: str, claims: Sequence[SubsidyClaim], request: HttpRequest | None = None
) -> SubsidyBatch:
    """Gather approved claims of the actor's region into a payment batch awaiting a supervisor's approval."""
    _require_bureau(actor, region_code)
    ids = [c.pk for c in claims]
    found = list(SubsidyClaim.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if not found or len(found) != len(set(ids)):
        raise FieldValueError("claims", "贴息申报", "请选择已核定的贴息申报")
    for claim in found:
        if claim.state != SubsidyClaim.State.APPROVED or claim.batch_id is not None:
            raise ConflictError(f"{claim} 不是已核定、未入批次的申报")
        if not in_scope(region_code, claim.region_code):
            raise FieldValueError("claims", "贴息申报", f"{claim} 不在 {region_code} 范围内")
    year = timezone.localdate().year
    batch = SubsidyBatch.objects.create(
        number=f"TX{year}{region_code}{next_value(f'subsidy_batch:{year}:{region_code}'):04d}",
        region_code=region_code,
        total=sum((c.total for c in found), ZERO),
        created_by=actor,
    )
    SubsidyClaim.objects.filter(pk__in=ids).update(batch=batch)
    record_event(
        "loans.subsidy_batch_created",
        actor=actor,
        object_type="loans.SubsidyBatch",
        object_id=batch.number,
        region_code=region_code,
        details={"total": str(batch.total), "claims": len(found)},
        request=request,
    )
    return batch


@transaction.atomic
def subsidy_batch_pay(*, actor: Any, batch: SubsidyBatch, request: HttpRequest | None = None) -> SubsidyBatch:
    """A supervisor other than the batch's preparer approves it and the treasury pays each bank (maker-checker)."""
    _require_bureau(actor, batch.region_code, supervisor=True)
    batch = SubsidyBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != SubsidyBatch.State.DRAFT:
        raise ConflictError("该批次已拨付")
    if batch.created_by_id == actor.pk:
        raise DomainError("批次的制单人不能审批同一批次", code="maker_checker", status=403)
    claims = list(batch.claims.select_related("bank").order_by("pk"))
    if sum((c.total for c in claims), ZERO) != batch.total:
        raise ConflictError("批次合计与所含申报不符，请重新制作批次")
    lines = [
        (ledger.account(AccountKind.SUBSIDY_PAYABLE, bank=c.bank, region_code=c.region_code), c.total) for c in claims
    ]
    lines.append((ledger.account(AccountKind.TREASURY, region_code=batch.region_code), -batch.total))
    today = timezone.localdate()
    ledger.post(
        LedgerTransaction.Kind.SUBSIDY_PAYMENT, on=today, lines=lines, memo=f"贴息拨付 {batch.number}", actor=actor
    )
    batch.claims.update(state=SubsidyClaim.State.PAID)
    batch.state, batch.approved_by, batch.paid_on = SubsidyBatch.State.PAID, actor, today
    batch.save(update_fields=["state", "approved_by", "paid_on"])
    record_event(
        "loans.subsidy_batch_paid",
        actor=actor,
        object_type="loans.SubsidyBatch",
        object_id=batch.number,
        region_code=batch.region_code,
        details={"total": str(batch.total)},
        request=request,
    )
    return batch


def subsidy_problems(region_code: str = "") -> list[str]:
    """Where subsidy figures fail to reconcile to the 分: lines against their claim, claims against their batch,
    approved and paid claims against the ledger's expense and payable accounts. Empty when all agree."""
    claims = SubsidyClaim.objects.all()
    if region_code:
        claims = claims.filter(region_code__startswith=significant_prefix(region_code))
    problems = []
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for claim_id, amount in SubsidyLine.objects.filter(claim__in=claims).values_list("claim_id", "amount"):
        sums[claim_id] += amount
    expense: dict[str, Decimal] = defaultdict(Decimal)
    payable: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    batches: dict[int, Decimal] = defaultdict(Decimal)
    for claim in claims.select_related("bank"):
        if sums[claim.pk] != claim.total:
            problems.append(f"{claim} 明细合计 {sums[claim.pk]} 与申报合计 {claim.total} 不符")
        if claim.state in (SubsidyClaim.State.APPROVED, SubsidyClaim.State.PAID):
            expense[claim.region_code] += claim.total
        if claim.state == SubsidyClaim.State.APPROVED:
            payable[(claim.bank_id, claim.region_code)] += claim.total
        if claim.batch_id is not None:
            batches[claim.batch_id] += claim.total
    for batch in SubsidyBatch.objects.filter(pk__in=list(batches)):
        if batches[batch.pk] != batch.total:
            problems.append(f"批次 {batch.number} 合计 {batch.total} 与所含申报合计 {batches[batch.pk]} 不符")
    for region, total in expense.items():
        booked = ledger.balance(AccountKind.SUBSIDY_EXPENSE, region_code=region)
        if booked != total:
            problems.append(f"{region} 贴息支出账 {booked} 与已核定申报合计 {total} 不符")
    for (bank_id, region), total in payable.items():
        booked = ledger.balance(AccountKind.SUBSIDY_PAYABLE, bank=Organisation(pk=bank_id), region_code=region)
        if booked != total:
            problems.append(f"银行 {bank_id} {region} 应付贴息账 {booked} 与未拨付申报合计 {total} 不符")
    return problems


def loan_subsidy_paid(loan_id: int) -> Decimal:
    lines = SubsidyLine.objects.filter(loan_id=loan_id, claim__state=SubsidyClaim.State.PAID)
    return sum(lines.values_list("amount", flat=True), ZERO)
