"""What every face shows about a loan: terms, balances, arrears, the schedule with what was paid, repayments,
compensation and recoveries, and the subsidy per period."""

from typing import Any

from django.utils import timezone

from chuangye.cases import types
from chuangye.cases.selectors import available_actions
from chuangye.loans.case_types import FINAL
from chuangye.loans.models import Loan, SubsidyClaim, SubsidyLine
from chuangye.loans.schedule import METHODS
from chuangye.loans.selectors import arrears, with_balances


def _extension_actions(loan: Loan, user: Any) -> list[tuple[Any, list[Any]]]:
    """Open extension cases of the loan with the transitions this user may take on each."""
    found = []
    for extension in loan.extensions.select_related("case").exclude(case__state__in=FINAL):
        found.append((extension.case, available_actions(extension.case, user)))
    return found


def loan_context(loan: Loan, user: Any) -> dict[str, Any]:
    fresh = with_balances(Loan.objects.filter(pk=loan.pk)).get()
    rows = list(fresh.schedule.all())
    lines = SubsidyLine.objects.filter(loan=fresh, active=True).select_related("claim")
    subsidy = {line.row_id: line for line in lines}
    return {
        "loan": fresh,
        "method_label": METHODS.get(fresh.method, fresh.method),
        "arrears": arrears(fresh, timezone.localdate()),
        "rows": [(row, subsidy.get(row.pk)) for row in rows],
        "repayments": fresh.repayments.order_by("-paid_on", "-id"),
        "claims": fresh.compensation_claims.order_by("-filed_on", "-id"),
        "recoveries": fresh.recoveries.order_by("-recovered_on", "-id"),
        "extensions": [
            (e, types.get(e.case.case_type).states[e.case.state]) for e in fresh.extensions.select_related("case")
        ],
        "extension_actions": _extension_actions(fresh, user),
        # Received means paid out in a batch; claimed or approved amounts show per period until then.
        "subsidy_total": sum((line.amount for line in lines if line.claim.state == SubsidyClaim.State.PAID), start=0),
        "today": timezone.localdate(),
    }
