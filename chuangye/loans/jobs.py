"""Loan jobs for the task workers.

``loans.subsidy_claims``: a bank's interest-subsidy claims for a finished quarter, one part per region its loans are
in (each part files that region's claim; a region already claimed is skipped, so a part may run twice).
``loans.daily``: the day-end sweep (interest falling due, reminders, arrears notices), one part; it is idempotent
by itself (``loans.sweeps``).
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from chuangye.accounts.models import User
from chuangye.jobs.kinds import JobKind, Part, register
from chuangye.loans import subsidy
from chuangye.loans.sweeps import loans_daily


def _bank_user(params: dict[str, Any]) -> User:
    return User.objects.select_related("organisation").get(pk=int(params["actor_id"]))


def split_claims(params: dict[str, Any]) -> list[Part]:
    bank = _bank_user(params).organisation
    if bank is None:  # the account left its bank since the job started: nothing to file in its name
        return []
    regions = subsidy.claimable_regions(bank, int(params["year"]), int(params["quarter"]))
    return [Part(f"行政区划 {code}", {"region": code}) for code in regions]


def run_claims_part(params: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    claim = subsidy.subsidy_claim_file_region(
        actor=_bank_user(params), year=int(params["year"]), quarter=int(params["quarter"]), region=part["region"]
    )
    if claim is None:
        return {"claims": 0, "lines": 0, "amount_total": "0.00"}
    return {"claims": 1, "lines": claim.line_count, "amount_total": str(claim.total)}


def claims_summary(result: dict[str, Any]) -> str:
    return (
        f"已申报 {result.get('claims', 0)} 份贴息申请，{result.get('lines', 0)} 个计息期，"
        f"合计 {result.get('amount_total', '0.00')} 元"
    )


def split_daily(params: dict[str, Any]) -> list[Part]:
    return [Part("全部贷款", {})]


def run_daily_part(params: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    on = dt.date.fromisoformat(params["on"]) if params.get("on") else timezone.localdate()
    result = loans_daily(on=on)
    return {"accrued_loans": result.accrued_loans, "reminders": result.reminders, "arrears": result.arrears_notices}


CLAIMS = JobKind("loans.subsidy_claims", "贴息申报", split_claims, run_claims_part, summary=claims_summary)
DAILY = JobKind(
    "loans.daily",
    "贷款日终处理",
    split_daily,
    run_daily_part,
    summary=lambda r: (
        f"利息入账 {r.get('accrued_loans', 0)} 笔贷款；还款提醒 {r.get('reminders', 0)} 条；"
        f"逾期通知 {r.get('arrears', 0)} 条"
    ),
)


def register_kinds() -> None:
    register(CLAIMS)
    register(DAILY)
