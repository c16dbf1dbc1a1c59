"""Default: the bank's compensation claim after the overdue threshold, the fund's payment of its share (代偿),
recoveries shared back in the same proportions, and write-off with a reason."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Organisation, Role
from chuangye.core.audit import record_event
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.money import allocate, parse_money, to_fen
from chuangye.core.regions import in_scope
from chuangye.loans import ledger
from chuangye.loans.access import partner_kind
from chuangye.loans.actions import require_bank
from chuangye.loans.inputs import req_date, short_text
from chuangye.loans.models import AccountKind, CompensationClaim, LedgerTransaction, Loan, Recovery, WriteOff
from chuangye.loans.params import loan_param
from chuangye.loans.servicing import accrue, balances, days_past_due


def require_guarantor(actor: Any, loan: Loan) -> None:
    if partner_kind(actor) != Organisation.Kind.GUARANTOR or actor.organisation_id != loan.fund.organisation_id:
        raise DomainError("只有提供担保的担保机构可以办理", code="forbidden", status=403)


def _audit(action: str, actor: Any, loan: Loan, request: HttpRequest | None, **details: Any) -> None:
    record_event(
        f"loans.{action}",
        actor=actor,
        object_type="loans.Loan",
        object_id=loan.number,
        region_code=loan.region_code,
        details={k: str(v) for k, v in details.items()},
        request=request,
    )


@transaction.atomic
def compensation_claim_file(
    *, actor: Any, loan: Loan, on: dt.date | None = None, request: HttpRequest | None = None
) -> CompensationClaim:
    """The bank asks the fund to pay its share of what a loan overdue beyond the threshold still owes."""
    require_bank(actor, loan.bank_id)
    day = on or timezone.localdate()
    _, (loan,) = ledger.lock(loans=[loan])
    if loan.state != Loan.State.ACTIVE:
        raise ConflictError(f"贷款{loan.get_state_display()}，不能申请代偿")
    if loan.compensation_claims.filter(state=CompensationClaim.State.FILED).exists():
        raise ConflictError("该贷款已有待审核的代偿申请")
    threshold = loan_param("loan.compensation.overdue_days", on=day, region_code=loan.region_code)
    overdue = days_past_due(loan, day)
    if overdue <= threshold.value:
        raise DomainError(
            f"逾期 {overdue} 天，未超过 {threshold.value} 天，不能申请代偿（{threshold.label}：{threshold.source}）",
            code="not_overdue_enough",
        )
    accrue(loan, up_to=day, actor=actor)
    owed = balances(loan)
    share = loan_param("loan.compensation.share", on=day, region_code=loan.region_code)
    principal_part, interest_part = to_fen(owed.principal * share.value), to_fen(owed.interest * share.value)
    claim = CompensationClaim.objects.create(
        loan=loan,
        filed_on=day,
        days_overdue=overdue,
        principal_outstanding=owed.principal,
        interest_outstanding=owed.interest,
        share=share.value,
        share_source=share.source[:200],
        principal_part=principal_part,
        interest_part=interest_part,
        amount=principal_part + interest_part,
        filed_by=actor,
    )
    _audit("compensation_filed", actor, loan, request, amount=claim.amount, days=overdue)
    return claim


@transaction.atomic
def compensation_pay(*, actor: Any, claim: CompensationClaim, request: HttpRequest | None = None) -> CompensationClaim:
    """The fund pays its share to the bank; the fund then holds the right to recover it. Refused if the fund's
    balance does not cover it or the loan's balances changed since the claim."""
    loan = claim.loan
    require_guarantor(actor, loan)
    ledger.lock(fund=loan.fund, loans=[loan])
    claim = CompensationClaim.objects.select_for_update().get(pk=claim.pk)
    loan.refresh_from_db()
    if claim.state != CompensationClaim.State.FILED or loan.state != Loan.State.ACTIVE:
        raise ConflictError("该代偿申请已处理")
    owed = balances(loan)
    if (owed.principal, owed.interest) != (claim.principal_outstanding, claim.interest_outstanding):
        raise ConflictError("申请后贷款余额已变化，请退回后由银行重新申请")
    today = timezone.localdate()
    ledger.post(
        LedgerTransaction.Kind.COMPENSATION,
        on=today,
        loan=loan,
        fund=loan.fund,
        lines=[
            (ledger.account(AccountKind.BANK_CASH, bank=loan.bank), claim.amount),
            (ledger.account(AccountKind.FUND_CASH, fund=loan.fund), -claim.amount),
            (ledger.account(AccountKind.LOAN_RECOVERY, loan=loan), claim.amount),
            (ledger.account(AccountKind.LOAN_PRINCIPAL, loan=loan), -claim.principal_part),
            (ledger.account(AccountKind.LOAN_INTEREST, loan=loan), -claim.interest_part),
        ],
        memo=f"{loan.number} 代偿",
        actor=actor,
    )
    claim.state, claim.decided_by, claim.decided_at = CompensationClaim.State.PAID, actor, timezone.now()
    claim.save(update_fields=["state", "decided_by", "decided_at"])
    Loan.objects.filter(pk=loan.pk).update(state=Loan.State.COMPENSATED, closed_on=today)
    _audit("compensation_paid", actor, loan, request, amount=claim.amount)
    return claim


@transaction.atomic
def compensation_refuse(
    *, actor: Any, claim: CompensationClaim, note: str, request: HttpRequest | None = None
) -> CompensationClaim:
    require_guarantor(actor, claim.loan)
    reason = short_text(note, field="note", label="不予代偿理由", low=2, high=500)
    changed = CompensationClaim.objects.filter(pk=claim.pk, state=CompensationClaim.State.FILED).update(
        state=CompensationClaim.State.REFUSED, decided_by=actor, decided_at=timezone.now(), note=reason
    )
    if changed != 1:
        raise ConflictError("该代偿申请已处理")
    _audit("compensation_refused", actor, claim.loan, request, note=reason)
    claim.refresh_from_db()
    return claim


def share_recovery(amount: Decimal, share: Decimal, fund_due: Decimal, bank_due: Decimal) -> tuple[Decimal, Decimal]:
    """Split a recovery between the fund and the bank in the compensation proportions, exactly to the 分; neither
    part exceeds what is still due to that party (rounding at the tail goes to the other)."""
    fund_part, bank_part = allocate(amount, [share, 1 - share])
    if fund_part > fund_due:
        fund_part, bank_part = fund_due, amount - fund_due
    if bank_part > bank_due:
        bank_part, fund_part = bank_due, amount - bank_due
    return fund_part, bank_part


@transaction.atomic
def recovery_record(
    *, actor: Any, loan: Loan, amount: object, recovered_on: object, request: HttpRequest | None = None
) -> Recovery:
    """Money recovered from the borrower after compensation: the fund's share back into the fund's cash, the bank's
    share against what the borrower still owes the bank (principal first)."""
    require_bank(actor, loan.bank_id)
    value = parse_money(amount, field="amount", label="回收金额", allow_zero=False)
    day = req_date(recovered_on, field="recovered_on", label="回收日")
    ledger.lock(fund=loan.fund, loans=[loan])
    loan.refresh_from_db()
    if loan.state != Loan.State.COMPENSATED:
        raise ConflictError("只有已代偿的贷款可以登记追偿回收")
    if day > timezone.localdate() or (loan.closed_on and day < loan.closed_on):
        raise FieldValueError("recovered_on", "回收日", "应在代偿日至今天之间")
    owed = balances(loan)
    if value > owed.recovery + owed.owed_to_bank:
        raise FieldValueError(
            "amount",
            "回收金额",
            f"超过尚未收回的 {owed.recovery + owed.owed_to_bank:,.2f} 元（回收不得超过未收回金额）",
        )
    claim = loan.compensation_claims.get(state=CompensationClaim.State.PAID)
    fund_part, bank_part = share_recovery(value, claim.share, owed.recovery, owed.owed_to_bank)
    to_principal = min(bank_part, owed.principal)
    ledger.post(
        LedgerTransaction.Kind.RECOVERY,
        on=day,
        loan=loan,
        fund=loan.fund,
        lines=[
            (ledger.account(AccountKind.FUND_CASH, fund=loan.fund), fund_part),
            (ledger.account(AccountKind.LOAN_RECOVERY, loan=loan), -fund_part),
            (ledger.account(AccountKind.BANK_CASH, bank=loan.bank), bank_part),
            (ledger.account(AccountKind.LOAN_PRINCIPAL, loan=loan), -to_principal),
            (ledger.account(AccountKind.LOAN_INTEREST, loan=loan), -(bank_part - to_principal)),
        ],
        memo=f"{loan.number} 追偿回收",
        actor=actor,
    )
    recovery = Recovery.objects.create(
        loan=loan, recovered_on=day, amount=value, fund_part=fund_part, bank_part=bank_part, created_by=actor
    )
    _audit("recovery", actor, loan, request, amount=value, fund=fund_part, bank=bank_part)
    return recovery


def _may_write_off(actor: Any, loan: Loan) -> bool:
    guarantor = (
        partner_kind(actor) == Organisation.Kind.GUARANTOR and actor.organisation_id == loan.fund.organisation_id
    )
    supervisor = actor.role == Role.SUPERVISOR and in_scope(actor.region_code, loan.region_code)
    return guarantor or supervisor


@transaction.atomic
def loan_write_off(*, actor: Any, loan: Loan, reason: str, request: HttpRequest | None = None) -> WriteOff:
    """Write off what cannot be recovered: the bank's remaining claim as its loss, the fund's as the fund's."""
    if not _may_write_off(actor, loan):
        raise DomainError("只有担保机构或人社部门主管可以核销", code="forbidden", status=403)
    text = short_text(reason, field="reason", label="核销理由", low=4, high=500)
    ledger.lock(fund=loan.fund, loans=[loan])
    loan.refresh_from_db()
    if loan.state != Loan.State.COMPENSATED:
        raise ConflictError("只有已代偿的贷款可以核销")
    owed = balances(loan)
    today = timezone.localdate()
    ledger.post(
        LedgerTransaction.Kind.WRITE_OFF,
        on=today,
        loan=loan,
        fund=loan.fund,
        lines=[
            (ledger.account(AccountKind.BANK_LOSS, bank=loan.bank), owed.owed_to_bank),
            (ledger.account(AccountKind.LOAN_PRINCIPAL, loan=loan), -owed.principal),
            (ledger.account(AccountKind.LOAN_INTEREST, loan=loan), -owed.interest),
            (ledger.account(AccountKind.FUND_LOSS, fund=loan.fund), owed.recovery),
            (ledger.account(AccountKind.LOAN_RECOVERY, loan=loan), -owed.recovery),
        ],
        memo=f"{loan.number} 核销：{text}",
        actor=actor,
    )
    write_off = WriteOff.objects.create(
        loan=loan,
        written_off_on=today,
        reason=text,
        bank_amount=owed.owed_to_bank,
        fund_amount=owed.recovery,
        actor=actor,
    )
    Loan.objects.filter(pk=loan.pk).update(state=Loan.State.WRITTEN_OFF)
    _audit("write_off", actor, loan, request, reason=text, bank=owed.owed_to_bank, fund=owed.recovery)
    return write_off
