"""Who sees which loan application, loan and claim.

Citizens see their own; bureau staff see those of their region (prefix rule); a bank sees only what is assigned
to it, a guarantee institution only what its fund guarantees (PIPL art. 23: a partner sees an applicant only through
the case at hand). Out of scope answers exactly like missing: 404.
"""

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from chuangye.accounts.access import region_filter
from chuangye.accounts.models import Organisation, Role
from chuangye.loans.models import GuaranteeFund, Loan, LoanApplication, SubsidyBatch, SubsidyClaim

M = TypeVar("M", bound=Model)


def partner_kind(user: Any) -> str:
    """ "bank", "guarantor" or "" for a partner account's organisation."""
    if getattr(user, "role", None) != Role.PARTNER or not getattr(user, "organisation_id", None):
        return ""
    kind = user.organisation.kind
    return kind if kind in (Organisation.Kind.BANK, Organisation.Kind.GUARANTOR) else ""


def _partner_q(user: Any, bank_field: str, fund_field: str) -> Q | None:
    kind = partner_kind(user)
    if kind == Organisation.Kind.BANK:
        return Q(**{bank_field: user.organisation_id})
    if kind == Organisation.Kind.GUARANTOR:
        return Q(**{f"{fund_field}__organisation_id": user.organisation_id})
    return None


def partner_case_filter(user: Any) -> Q | None:
    """The hook for ``cases.access.PARTNER_FILTERS``: a bank's or guarantor's loan and extension cases."""
    application = _partner_q(user, "loan_application__bank", "loan_application__fund")
    if application is None:
        return None
    extension = _partner_q(user, "loan_extension__loan__bank", "loan_extension__loan__fund")
    return application | extension if extension is not None else application


def _scoped(model: type[M], user: Any, *, citizen: str, bank: str, fund: str, region: str) -> QuerySet[M]:
    manager = model._default_manager
    if not getattr(user, "is_authenticated", False):
        return manager.none()
    if user.role == Role.CITIZEN:
        return manager.filter(**{citizen: user}) if citizen else manager.none()
    staff = region_filter(user, region)
    if staff is not None:
        return manager.filter(staff)
    partner = _partner_q(user, bank, fund) if bank else None
    return manager.filter(partner) if partner is not None else manager.none()


def applications_for(user: Any) -> QuerySet[LoanApplication]:
    return _scoped(
        LoanApplication, user, citizen="case__applicant_user", bank="bank", fund="fund", region="region_code"
    )


def loans_for(user: Any) -> QuerySet[Loan]:
    return _scoped(Loan, user, citizen="person__user", bank="bank", fund="fund", region="region_code")


def funds_for(user: Any) -> QuerySet[GuaranteeFund]:
    """Staff see funds whose region overlaps theirs; a guarantee institution sees its own fund."""
    if partner_kind(user) == Organisation.Kind.GUARANTOR:
        return GuaranteeFund.objects.filter(organisation_id=user.organisation_id)
    if getattr(user, "role", None) in (Role.OFFICER, Role.SUPERVISOR) and user.region_code:
        # Funds within the officer's region, and the city or province fund that guarantees its loans.
        covering = [user.region_code[:2] + "0000", user.region_code[:4] + "00", user.region_code]
        region = region_filter(user, "region_code") or Q()
        return GuaranteeFund.objects.filter(region | Q(region_code__in=covering))
    return GuaranteeFund.objects.none()


def claims_for(user: Any) -> QuerySet[SubsidyClaim]:
    """Subsidy claims: the bank's own, or those of the staff member's region. Guarantors play no part in them."""
    if partner_kind(user) == Organisation.Kind.BANK:
        return SubsidyClaim.objects.filter(bank_id=user.organisation_id)
    staff = region_filter(user, "region_code")
    return SubsidyClaim.objects.filter(staff) if staff is not None else SubsidyClaim.objects.none()


def batches_for(user: Any) -> QuerySet[SubsidyBatch]:
    staff = region_filter(user, "region_code")
    return SubsidyBatch.objects.filter(staff) if staff is not None else SubsidyBatch.objects.none()


def _get(queryset: QuerySet[M], pk: object) -> M:
    try:
        return queryset.get(pk=int(str(pk)))
    except (ValueError, ObjectDoesNotExist):
        raise Http404("记录不存在或无权访问") from None


def access_application_by_id(user: Any, application_id: object) -> LoanApplication:
    related = applications_for(user).select_related("case", "person", "business", "bank", "fund", "decision")
    return _get(related, application_id)


def access_loan_by_id(user: Any, loan_id: object) -> Loan:
    return _get(loans_for(user).select_related("bank", "fund", "person", "business"), loan_id)


def access_fund_by_id(user: Any, fund_id: object) -> GuaranteeFund:
    return _get(funds_for(user), fund_id)


def access_claim_by_id(user: Any, claim_id: object) -> SubsidyClaim:
    return _get(claims_for(user).select_related("bank", "batch"), claim_id)


def access_batch_by_id(user: Any, batch_id: object) -> SubsidyBatch:
    return _get(batches_for(user), batch_id)
