"""Loans over the API: banks and guarantee institutions report through it with scoped tokens.

Every money request (disbursement, repayment, compensation claim and payment, recovery, subsidy claim) from a
partner needs an ``Idempotency-Key`` header: the same key and body replay the stored response (header
``Idempotent-Replayed: true``), the same key with another body is refused (422), no key is refused (400).
Objects are named in the body, not the path, so a bank's system can post a day's repayments to one address.
"""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from chuangye.accounts.api import require_scope
from chuangye.cases import types
from chuangye.cases.actions import case_transition
from chuangye.cases.selectors import available_actions
from chuangye.loans import actions, defaults
from chuangye.loans.access import (
    access_application_by_id,
    access_loan_by_id,
    applications_for,
    claims_for,
    loans_for,
)
from chuangye.loans.idempotency import run_idempotent
from chuangye.loans.models import CompensationClaim, Loan, LoanApplication, Repayment
from chuangye.loans.selectors import arrears, loan_list, with_balances
from chuangye.loans.subsidy import subsidy_claim_file

router = Router(tags=["创业担保贷款"])


def _money(value: Any) -> str:
    return f"{value:.2f}"


def _rate(value: Any) -> str:
    return format(value.normalize(), "f")


class LoanData(Schema):
    """A loan with its balances and arrears, as stored for replay."""

    id: int
    number: str
    kind: str
    borrower_name: str
    bank: str
    region_code: str
    contract_number: str
    contract_date: dt.date
    disbursed_on: dt.date
    principal: str
    term_months: int
    maturity: dt.date
    lpr_rate: str
    spread: str
    annual_rate: str
    method: str
    basis: int
    frequency: str
    state: str
    state_label: str
    principal_outstanding: str
    interest_outstanding: str
    next_unpaid_due: dt.date | None
    days_past_due: int
    bucket: str


class LoanOut(LoanData):
    """A loan read from the database with its balances (``selectors.with_balances``) and arrears today."""

    @staticmethod
    def resolve_bank(obj: Loan) -> str:
        return obj.bank.name

    @staticmethod
    def resolve_principal(obj: Loan) -> str:
        return _money(obj.principal)

    @staticmethod
    def resolve_lpr_rate(obj: Loan) -> str:
        return _rate(obj.lpr_rate)

    @staticmethod
    def resolve_spread(obj: Loan) -> str:
        return _rate(obj.spread)

    @staticmethod
    def resolve_annual_rate(obj: Loan) -> str:
        return _rate(obj.annual_rate)

    @staticmethod
    def resolve_state_label(obj: Loan) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_principal_outstanding(obj: Loan) -> str:
        return _money(obj.principal_outstanding)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_interest_outstanding(obj: Loan) -> str:
        return _money(obj.interest_outstanding)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_days_past_due(obj: Loan) -> int:
        return int(arrears(obj, timezone.localdate())["days_past_due"])

    @staticmethod
    def resolve_bucket(obj: Loan) -> str:
        return str(arrears(obj, timezone.localdate())["bucket"])


def loan_out(loan: Loan) -> dict[str, Any]:
    """The stored (replayable) JSON form of a loan."""
    return LoanOut.from_orm(_fresh(loan.pk)).model_dump(mode="json")


def _fresh(loan_id: int) -> Loan:
    return with_balances(Loan.objects.filter(pk=loan_id)).get()


class RowOut(Schema):
    number: int
    period_start: dt.date
    due: dt.date
    days: int
    opening_balance: str
    principal: str
    interest: str
    paid_principal: str
    paid_interest: str
    in_extension: bool


@router.get("/loans", response=list[LoanOut], summary="贷款列表（本人、本机构或管辖范围内）")
@paginate(LimitOffsetPagination)
def list_loans(request: HttpRequest, state: str = "", bucket: str = "") -> Any:
    require_scope(request, "loans:read")
    return loan_list(user=request.user, on=timezone.localdate(), state=state, bucket=bucket)


@router.get("/loans/{int:loan_id}", response=LoanOut, summary="贷款详情、余额与逾期情况")
def get_loan(request: HttpRequest, loan_id: int) -> Any:
    require_scope(request, "loans:read")
    return with_balances(loans_for(request.user)).get(pk=access_loan_by_id(request.user, loan_id).pk)


@router.get("/loans/{int:loan_id}/schedule", response=list[RowOut], summary="还款计划（精确到分）")
def get_schedule(request: HttpRequest, loan_id: int) -> Any:
    require_scope(request, "loans:read")
    loan = access_loan_by_id(request.user, loan_id)
    return [
        RowOut(
            number=r.number,
            period_start=r.period_start,
            due=r.due,
            days=r.days,
            opening_balance=f"{r.opening_balance:.2f}",
            principal=f"{r.principal:.2f}",
            interest=f"{r.interest:.2f}",
            paid_principal=f"{r.paid_principal:.2f}",
            paid_interest=f"{r.paid_interest:.2f}",
            in_extension=r.in_extension,
        )
        for r in loan.schedule.all()
    ]


def _respond(response: HttpResponse, result: tuple[int, dict[str, Any], bool]) -> Status[dict[str, Any]]:
    status, body, replayed = result
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(status, body)


class DisbursementIn(Schema):
    application_id: int
    contract_number: str
    contract_date: str
    disbursed_on: str
    principal: str
    term_months: int
    spread: str
    lpr_term: str = "1y"
    method: str = "interest_only"
    basis: int = 360
    frequency: str = "quarterly"


@router.post("/loans/disbursements", response={201: LoanData}, summary="登记借款合同与放款（须带 Idempotency-Key）")
def disburse(request: HttpRequest, payload: DisbursementIn, response: HttpResponse) -> Any:
    require_scope(request, "loans:write")
    body = payload.model_dump()
    application = access_application_by_id(request.user, payload.application_id)

    def act(key: str) -> tuple[int, dict[str, Any]]:
        loan = actions.loan_disburse(actor=request.user, application=application, data=body, request=request)
        return 201, loan_out(loan)

    return _respond(response, run_idempotent(request, operation="disburse", body=body, action=act))


class RepaymentIn(Schema):
    loan_id: int
    paid_on: str
    principal: str = "0"
    interest: str = "0"


class RepaymentOut(Schema):
    id: int
    loan_id: int
    loan_number: str
    paid_on: dt.date
    principal: str
    interest: str
    principal_outstanding: str
    interest_outstanding: str
    next_unpaid_due: dt.date | None
    state: str


def repayment_out(repayment: Repayment) -> dict[str, Any]:
    loan = _fresh(repayment.loan_id)
    return RepaymentOut(
        id=repayment.pk,
        loan_id=loan.pk,
        loan_number=loan.number,
        paid_on=repayment.paid_on,
        principal=f"{repayment.principal:.2f}",
        interest=f"{repayment.interest:.2f}",
        principal_outstanding=f"{loan.principal_outstanding:.2f}",  # type: ignore[attr-defined]
        interest_outstanding=f"{loan.interest_outstanding:.2f}",  # type: ignore[attr-defined]
        next_unpaid_due=loan.next_unpaid_due,
        state=loan.state,
    ).model_dump(mode="json")


@router.post("/loans/repayments", response={201: RepaymentOut}, summary="报送还款（须带 Idempotency-Key）")
def repay(request: HttpRequest, payload: RepaymentIn, response: HttpResponse) -> Any:
    require_scope(request, "loans:write")
    body = payload.model_dump()
    loan = access_loan_by_id(request.user, payload.loan_id)

    def act(key: str) -> tuple[int, dict[str, Any]]:
        repayment = actions.loan_repay(
            actor=request.user,
            loan=loan,
            paid_on=payload.paid_on,
            principal=payload.principal,
            interest=payload.interest,
            source=Repayment.Source.API,
            idempotency_key=key,
            request=request,
        )
        return 201, repayment_out(repayment)

    return _respond(response, run_idempotent(request, operation="repay", body=body, action=act))


class ClaimIn(Schema):
    loan_id: int


class CompensationOut(Schema):
    id: int
    loan_id: int
    state: str
    days_overdue: int
    principal_outstanding: str
    interest_outstanding: str
    share: str
    amount: str


def compensation_out(claim: CompensationClaim) -> dict[str, Any]:
    return CompensationOut(
        id=claim.pk,
        loan_id=claim.loan_id,
        state=claim.state,
        days_overdue=claim.days_overdue,
        principal_outstanding=f"{claim.principal_outstanding:.2f}",
        interest_outstanding=f"{claim.interest_outstanding:.2f}",
        share=format(claim.share.normalize(), "f"),
        amount=f"{claim.amount:.2f}",
    ).model_dump(mode="json")


@router.post("/loans/compensation-claims", response={201: CompensationOut}, summary="申请代偿（逾期超过规定天数）")
def claim_compensation(request: HttpRequest, payload: ClaimIn, response: HttpResponse) -> Any:
    require_scope(request, "loans:write")
    loan = access_loan_by_id(request.user, payload.loan_id)

    def act(key: str) -> tuple[int, dict[str, Any]]:
        return 201, compensation_out(defaults.compensation_claim_file(actor=request.user, loan=loan, request=request))

    return _respond(response, run_idempotent(request, operation="compensate", body=payload.model_dump(), action=act))


class RecoveryIn(Schema):
    loan_id: int
    recovered_on: str
    amount: str


class RecoveryOut(Schema):
    id: int
    loan_id: int
    amount: str
    fund_part: str
    bank_part: str


@router.post("/loans/recoveries", response={201: RecoveryOut}, summary="登记追偿回收（按代偿比例分配）")
def recover(request: HttpRequest, payload: RecoveryIn, response: HttpResponse) -> Any:
    require_scope(request, "loans:write")
    loan = access_loan_by_id(request.user, payload.loan_id)

    def act(key: str) -> tuple[int, dict[str, Any]]:
        found = defaults.recovery_record(
            actor=request.user, loan=loan, amount=payload.amount, recovered_on=payload.recovered_on, request=request
        )
        out = RecoveryOut(
            id=found.pk,
            loan_id=loan.pk,
            amount=f"{found.amount:.2f}",
            fund_part=f"{found.fund_part:.2f}",
            bank_part=f"{found.bank_part:.2f}",
        )
        return 201, out.model_dump(mode="json")

    return _respond(response, run_idempotent(request, operation="recover", body=payload.model_dump(), action=act))


class ApplicationOut(Schema):
    id: int
    case_id: int
    case_number: str
    kind: str
    state: str
    state_label: str
    borrower: str
    requested_amount: str
    eligible_amount: str
    term_months: int
    counter_guarantee_waived: bool
    version: int
    actions: list[str]


def application_out(application: LoanApplication, user: Any) -> dict[str, Any]:
    case = application.case
    return ApplicationOut(
        id=application.pk,
        case_id=case.pk,
        case_number=case.number,
        kind=application.kind,
        state=case.state,
        state_label=types.get(case.case_type).states[case.state],
        borrower=application.business.name if application.business else application.person.name,
        requested_amount=f"{application.requested_amount:.2f}",
        eligible_amount=f"{application.eligible_amount:.2f}",
        term_months=application.term_months,
        counter_guarantee_waived=application.counter_guarantee_waived,
        version=case.version,
        actions=[t.action for t in available_actions(case, user)],
    ).model_dump(mode="json")


@router.get("/loan-applications", response=list[ApplicationOut], summary="贷款申请（本人、本机构或管辖范围内）")
@paginate(LimitOffsetPagination)
def list_applications(request: HttpRequest, state: str = "") -> Any:
    require_scope(request, "loans:read")
    applications = applications_for(request.user).select_related("case", "person", "business", "fund")
    if state:
        applications = applications.filter(case__state=state)
    return [application_out(a, request.user) for a in applications.order_by("-case__submitted_at")]


class TransitionIn(Schema):
    action: str
    comment: str = ""
    version: int


@router.post(
    "/loan-applications/{int:application_id}/transitions",
    response=ApplicationOut,
    summary="审核操作：担保机构、经办银行的同意、退回、拒绝（须带看到的版本号）",
)
def transition(request: HttpRequest, application_id: int, payload: TransitionIn) -> Any:
    require_scope(request, "loans:write")
    application = access_application_by_id(request.user, application_id)
    case_transition(
        case=application.case,
        action=payload.action,
        actor=request.user,
        comment=payload.comment,
        expected_version=payload.version,
        request=request,
    )
    return application_out(access_application_by_id(request.user, application_id), request.user)


class PaymentIn(Schema):
    claim_id: int


@router.post(
    "/loans/compensation-payments", response={201: CompensationOut}, summary="担保机构拨付代偿（须带 Idempotency-Key）"
)
def pay_compensation(request: HttpRequest, payload: PaymentIn, response: HttpResponse) -> Any:
    require_scope(request, "loans:write")
    claim = CompensationClaim.objects.filter(pk=payload.claim_id, loan__in=loans_for(request.user)).first()
    if claim is None:
        raise Http404("记录不存在或无权访问")

    def act(key: str) -> tuple[int, dict[str, Any]]:
        return 201, compensation_out(defaults.compensation_pay(actor=request.user, claim=claim, request=request))

    return _respond(response, run_idempotent(request, operation="pay_claim", body=payload.model_dump(), action=act))


class SubsidyClaimIn(Schema):
    year: int
    quarter: int


class SubsidyClaimOut(Schema):
    id: int
    region_code: str
    year: int
    quarter: int
    state: str
    line_count: int
    interest_total: str
    total: str

    @staticmethod
    def resolve_interest_total(obj: Any) -> str:
        return _money(obj.interest_total) if not isinstance(obj, dict) else obj["interest_total"]

    @staticmethod
    def resolve_total(obj: Any) -> str:
        return _money(obj.total) if not isinstance(obj, dict) else obj["total"]


@router.get("/loans/subsidy-claims", response=list[SubsidyClaimOut], summary="贴息申报（本行或管辖范围内）")
@paginate(LimitOffsetPagination)
def list_subsidy_claims(request: HttpRequest) -> Any:
    require_scope(request, "loans:read")
    return claims_for(request.user).order_by("-year", "-quarter", "id")


@router.post(
    "/loans/subsidy-claims", response={201: list[SubsidyClaimOut]}, summary="申报上一季度贴息（须带 Idempotency-Key）"
)
def file_subsidy_claim(request: HttpRequest, payload: SubsidyClaimIn, response: HttpResponse) -> Any:
    require_scope(request, "loans:write")

    def act(key: str) -> tuple[int, dict[str, Any]]:
        claims = subsidy_claim_file(actor=request.user, year=payload.year, quarter=payload.quarter, request=request)
        return 201, {"claims": [SubsidyClaimOut.from_orm(c).model_dump(mode="json") for c in claims]}

    status, body, replayed = run_idempotent(request, operation="subsidy_claim", body=payload.model_dump(), action=act)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(status, body["claims"])
