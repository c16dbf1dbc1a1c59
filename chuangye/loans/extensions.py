"""展期: a borrower in temporary difficulty asks once to extend the loan by up to 12 months; the bank, the guarantee
institution and the bureau each approve; on approval the rest of the schedule is regenerated to the new maturity.
Periods after the original maturity are marked as in extension: no subsidy for them unless a regional parameter
says otherwise (``loan.extension.subsidised``)."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.cases.actions import case_submit
from chuangye.cases.models import Case
from chuangye.core.audit import record_event
from chuangye.core.dates import add_months
from chuangye.core.errors import ConflictError, DomainError
from chuangye.inbox.actions import notify
from chuangye.loans import ledger
from chuangye.loans.case_types import FINAL
from chuangye.loans.inputs import int_between, short_text
from chuangye.loans.models import Loan, LoanExtension
from chuangye.loans.params import loan_param
from chuangye.loans.servicing import refresh_next_unpaid_due, rows_from, store_rows


def _check_extendable(loan: Loan, today: Any) -> None:
    if loan.state != Loan.State.ACTIVE:
        raise ConflictError(f"贷款{loan.get_state_display()}，不能展期")
    if loan.extended_months or LoanExtension.objects.filter(loan=loan, approved=True).exists():
        raise ConflictError("该贷款已展期一次，展期只能办理一次")
    if today >= loan.maturity:
        raise ConflictError("贷款已到期，展期须在到期前申请")


@transaction.atomic
def extension_apply(
    *, applicant: Any, loan: Loan, months: object, reason: object, request: HttpRequest | None = None
) -> Case:
    """The borrower applies to extend ``loan`` by ``months`` (at most the parameter, 12 nationally)."""
    loan = Loan.objects.select_related("person", "bank").get(pk=loan.pk)  # the state as it is now
    if loan.person is None or loan.person.user_id != applicant.pk:
        raise DomainError("只有借款人本人可以申请展期", code="forbidden", status=403)
    today = timezone.localdate()
    _check_extendable(loan, today)
    longest = loan_param("loan.extension.max_months", on=today, region_code=loan.region_code)
    count = int_between(months, 1, longest.value, field="months", label="展期月数", rule=f"{longest.source}")
    text = short_text(reason, field="reason", label="展期理由", low=4, high=500)
    if LoanExtension.objects.filter(loan=loan).exclude(case__state__in=FINAL).exists():
        raise ConflictError("该贷款已有正在办理的展期申请")

    def payload(case: Case) -> None:
        LoanExtension.objects.create(case=case, loan=loan, months=count, reason=text)

    case, _ = case_submit(
        case_type_code="loan.extension",
        applicant_user=applicant,
        accepting_region=loan.region_code,
        deciding_region=loan.region_code,
        person=loan.person,
        build_payload=payload,
        request=request,
    )
    for user in loan.bank.users.filter(is_active=True):
        notify(user, f"展期申请待审核：{loan.number}", link=f"/workbench/loans/{loan.pk}/")
    return case


def on_extension_decided(case: Case, actor: Any) -> None:
    """On approval: the new maturity, and the schedule from the period in progress regenerated to it."""
    if case.state != "approved":
        return
    extension = LoanExtension.objects.select_related("loan").get(case=case)
    _, (loan,) = ledger.lock(loans=[extension.loan])
    today = timezone.localdate()
    _check_extendable(loan, today)
    current = loan.schedule.filter(due__gt=today).order_by("number").first()
    if current is None:  # unreachable while the loan is before maturity; kept as a guard
        raise ConflictError("贷款已到期，不能展期")
    loan.maturity = add_months(loan.original_maturity, extension.months)
    loan.extended_months = extension.months
    loan.save(update_fields=["maturity", "extended_months"])
    loan.schedule.filter(due__gt=today).delete()
    store_rows(
        loan,
        rows_from(loan, principal=current.opening_balance, start=current.period_start, first_number=current.number),
    )
    refresh_next_unpaid_due(loan)
    LoanExtension.objects.filter(pk=extension.pk).update(approved=True)
    record_event(
        "loans.extended",
        actor=actor,
        object_type="loans.Loan",
        object_id=loan.number,
        region_code=loan.region_code,
        details={"months": extension.months, "maturity": loan.maturity.isoformat(), "case": case.number},
    )
