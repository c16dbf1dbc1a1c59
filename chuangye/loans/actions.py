"""The bank's money actions on a loan: contract and disbursement, and repayments.

Each is atomic, locks in the ledger's fixed order (fund, then loan, then accounts), refuses bad input naming the
rule, and writes an audit row. Idempotency across retried requests is the API layer's (``idempotency.py``); the
web forms pass a one-time form key through the same layer.
"""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Organisation
from chuangye.cases.deadlines import local_date
from chuangye.core.audit import record_event
from chuangye.core.dates import add_months
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.money import parse_money
from chuangye.core.sequences import next_value
from chuangye.inbox.actions import notify
from chuangye.loans import ledger
from chuangye.loans.access import partner_kind
from chuangye.loans.applications import max_term_months
from chuangye.loans.fund import check_leverage
from chuangye.loans.inputs import choice, int_between, parse_spread, req_date, short_text
from chuangye.loans.models import AccountKind, LedgerTransaction, Loan, LoanApplication, LoanKind, Repayment
from chuangye.loans.params import loan_param
from chuangye.loans.schedule import METHODS
from chuangye.loans.servicing import (
    accrue,
    apply_payment,
    balances,
    due_unpaid,
    refresh_next_unpaid_due,
    rows_from,
    split_for_prepayment,
    store_rows,
)
from chuangye.policies.rates import lpr_series

BASES = {"360": "按360天计息", "365": "按365天计息"}
LPR_TERMS = {"1y": "1年期 LPR", "5y": "5年期以上 LPR"}
FREQUENCIES_LABELS = {"quarterly": "按季结息（每季末月20日）", "monthly": "按月结息（每月20日）"}


def require_bank(actor: Any, bank_id: int | None) -> None:
    if partner_kind(actor) != Organisation.Kind.BANK or actor.organisation_id != bank_id:
        raise DomainError("只有经办银行可以办理", code="forbidden", status=403)


def reference_rate(term: str, contract_date: dt.date) -> tuple[Decimal, str]:
    """The LPR in force on the contract date (fixed for the loan's life unless the contract says otherwise)."""
    entry = lpr_series(term).at(contract_date)
    if entry is None:
        raise FieldValueError("contract_date", "合同签订日", "早于 LPR 改革（2019-08-20），无参考利率")
    rate = entry.value
    return Decimal(rate.numerator) / Decimal(rate.denominator), entry.source


def _terms(application: LoanApplication, data: Mapping[str, object], today: dt.date) -> dict[str, Any]:
    """Check the contract terms against the approval and the parameters; return the loan's fields."""
    decided = local_date(application.case.decided_at) if application.case.decided_at else today
    contract_date = req_date(data.get("contract_date"), field="contract_date", label="合同签订日")
    disbursed_on = req_date(data.get("disbursed_on"), field="disbursed_on", label="放款日")
    if not decided <= contract_date <= today:
        raise FieldValueError("contract_date", "合同签订日", f"应在审批通过日 {decided} 至今天之间")
    if not contract_date <= disbursed_on <= today:
        raise FieldValueError("disbursed_on", "放款日", "应在合同签订日至今天之间")
    principal = parse_money(data.get("principal"), field="principal", label="贷款本金", allow_zero=False)
    if principal > application.eligible_amount:
        raise FieldValueError(
            "principal", "贷款本金", f"超过可贷额度 {application.eligible_amount:,.2f} 元（政策判断记录的金额）"
        )
    region = application.region_code
    longest = max_term_months(application.kind, on=contract_date, region_code=region)
    term = int_between(
        data.get("term_months"),
        1,
        longest,
        field="term_months",
        label="贷款期限（月）",
        rule=f"{LoanKind(application.kind).label}期限上限 {longest} 个月",
    )
    lpr_term = choice(data.get("lpr_term") or "1y", LPR_TERMS, field="lpr_term", label="参考 LPR 期限")
    if lpr_term == "5y" and term <= 12:
        raise FieldValueError("lpr_term", "参考 LPR 期限", "1年期以内贷款参考1年期 LPR")
    lpr, lpr_source = reference_rate(lpr_term, contract_date)
    spread = parse_spread(data.get("spread"))
    cap = loan_param("loan.rate_cap_spread", on=contract_date, region_code=region)
    if spread > cap.value:
        raise FieldValueError("spread", "利率加点", f"超过利率上限：LPR 加点不超过 {cap.display}（{cap.source}）")
    if lpr + spread <= 0:
        raise FieldValueError("spread", "利率加点", "执行利率须大于零")
    return {
        "contract_number": short_text(
            data.get("contract_number"), field="contract_number", label="借款合同编号", high=60
        ),
        "contract_date": contract_date,
        "disbursed_on": disbursed_on,
        "principal": principal,
        "term_months": term,
        "lpr_term": lpr_term,
        "lpr_rate": lpr,
        "lpr_source": lpr_source[:200],
        "spread": spread,
        "annual_rate": lpr + spread,
        "method": choice(data.get("method") or "interest_only", METHODS, field="method", label="还款方式"),
        "basis": int(choice(str(data.get("basis") or "360"), BASES, field="basis", label="计息年天数")),
        "frequency": choice(
            data.get("frequency") or "quarterly", FREQUENCIES_LABELS, field="frequency", label="结息周期"
        ),
    }


@transaction.atomic
def loan_disburse(
    *, actor: Any, application: LoanApplication, data: Mapping[str, object], request: HttpRequest | None = None
) -> Loan:
    """The bank records the signed contract and the disbursement of an approved application; the schedule is
    generated exactly and the principal enters the ledger. Refused if the fund's leverage limit would be passed."""
    require_bank(actor, application.bank_id)
    today = timezone.localdate()
    application.case.refresh_from_db()  # the state as it is now, not as the caller last read it
    if application.case.state != "approved":
        raise ConflictError("该申请尚未审批通过，不能放款")
    if Loan.objects.filter(application=application).exists():
        raise ConflictError("该申请已登记放款")
    terms = _terms(application, data, today)
    if Loan.objects.filter(bank=application.bank, contract_number=terms["contract_number"]).exists():
        raise FieldValueError("contract_number", "借款合同编号", "本行已登记过该合同")
    ledger.lock(fund=application.fund)
    check_leverage(application.fund, adding=terms["principal"], on=terms["disbursed_on"])
    year = terms["disbursed_on"].year
    maturity = add_months(terms["disbursed_on"], terms["term_months"])
    borrower = application.business.name if application.business else application.person.name
    loan = Loan.objects.create(
        number=f"DK{year}{application.region_code}{next_value(f'loan:{year}:{application.region_code}'):06d}",
        application=application,
        kind=application.kind,
        person=application.person,
        business=application.business,
        borrower_name=borrower,
        region_code=application.region_code,
        bank=application.bank,
        fund=application.fund,
        original_maturity=maturity,
        maturity=maturity,
        is_small_micro=application.kind == LoanKind.ENTERPRISE,
        created_by=actor,
        **terms,
    )
    store_rows(loan, rows_from(loan, principal=loan.principal, start=loan.disbursed_on, first_number=1))
    ledger.post(
        LedgerTransaction.Kind.DISBURSEMENT,
        on=loan.disbursed_on,
        loan=loan,
        fund=loan.fund,
        lines=[
            (ledger.account(AccountKind.LOAN_PRINCIPAL, loan=loan), loan.principal),
            (ledger.account(AccountKind.BANK_CASH, bank=loan.bank), -loan.principal),
        ],
        memo=f"{loan.number} 放款",
        actor=actor,
    )
    refresh_next_unpaid_due(loan)
    record_event(
        "loans.disburse",
        actor=actor,
        object_type="loans.Loan",
        object_id=loan.number,
        region_code=loan.region_code,
        details={"principal": str(loan.principal), "rate": str(loan.annual_rate), "case": application.case.number},
        request=request,
    )
    notify(
        application.case.applicant_user,
        f"创业担保贷款已放款：{loan.principal:,.2f} 元",
        f"年利率 {loan.annual_rate * 100:.4f}%，到期日 {loan.maturity:%Y年%m月%d日}。可在“我的贷款”查看还款计划。",
        link=f"/me/loans/{loan.pk}/",
    )
    return loan


def _repay_checks(loan: Loan, paid_on: dt.date, today: dt.date) -> None:
    if loan.state == Loan.State.CLOSED:
        raise ConflictError("贷款已结清，不能再登记还款")
    if loan.state != Loan.State.ACTIVE:
        raise ConflictError(f"贷款{loan.get_state_display()}，回收款请登记为追偿回收")
    if not loan.disbursed_on <= paid_on <= today:
        raise FieldValueError("paid_on", "还款日", "应在放款日至今天之间")
    latest = loan.repayments.order_by("-paid_on").values_list("paid_on", flat=True).first()
    if latest is not None and paid_on < latest:
        raise FieldValueError("paid_on", "还款日", f"不能早于上一笔还款日 {latest}（还款按日期顺序报送）")


@transaction.atomic
def loan_repay(
    *,
    actor: Any,
    loan: Loan,
    paid_on: object,
    principal: object,
    interest: object,
    source: str = Repayment.Source.API,
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> Repayment:
    """Record a repayment the bank received: interest and principal applied to instalments oldest first. Principal
    beyond what is due is a prepayment: the period ends that day and the rest of the loan is rescheduled."""
    require_bank(actor, loan.bank_id)
    day = req_date(paid_on, field="paid_on", label="还款日")
    p = parse_money(principal, field="principal", label="归还本金")
    i = parse_money(interest, field="interest", label="归还利息")
    if p + i == 0:
        raise FieldValueError("principal", "归还本金", "本金和利息不能同时为零")
    _, (loan,) = ledger.lock(loans=[loan])
    _repay_checks(loan, day, timezone.localdate())
    accrue(loan, up_to=day, actor=actor)
    due_p, due_i = due_unpaid(loan, day)
    owed = balances(loan)
    if p > owed.principal:
        raise FieldValueError(
            "principal", "归还本金", f"{p:,.2f} 元超过未还本金 {owed.principal:,.2f} 元（还款不得超过未还金额）"
        )
    if p > due_p:
        if i < due_i or day >= loan.maturity:
            raise FieldValueError(
                "principal", "归还本金", f"超过到期应还本金 {due_p:,.2f} 元；提前还款须同时结清到期利息"
            )
        split_for_prepayment(loan, on=day, prepaid=p - due_p)
        accrue(loan, up_to=day, actor=actor)
        owed = balances(loan)
    if i > owed.interest:
        raise FieldValueError(
            "interest", "归还利息", f"{i:,.2f} 元超过应收利息 {owed.interest:,.2f} 元（还款不得超过未还金额）"
        )
    apply_payment(loan, on=day, principal=p, interest=i)
    ledger.post(
        LedgerTransaction.Kind.REPAYMENT,
        on=day,
        loan=loan,
        lines=[
            (ledger.account(AccountKind.BANK_CASH, bank=loan.bank), p + i),
            (ledger.account(AccountKind.LOAN_PRINCIPAL, loan=loan), -p),
            (ledger.account(AccountKind.LOAN_INTEREST, loan=loan), -i),
        ],
        memo=f"{loan.number} 还款",
        actor=actor,
    )
    repayment = Repayment.objects.create(
        loan=loan,
        bank_id=loan.bank_id,
        paid_on=day,
        principal=p,
        interest=i,
        source=source,
        idempotency_key=idempotency_key,
        created_by=actor,
    )
    refresh_next_unpaid_due(loan)
    after = balances(loan)
    if after.principal == 0 and after.interest == 0 and loan.next_unpaid_due is None:
        Loan.objects.filter(pk=loan.pk).update(state=Loan.State.CLOSED, closed_on=day)
    record_event(
        "loans.repayment",
        actor=actor,
        object_type="loans.Loan",
        object_id=loan.number,
        region_code=loan.region_code,
        details={"paid_on": day.isoformat(), "principal": str(p), "interest": str(i), "source": source},
        request=request,
    )
    return repayment
