"""Helpers for tests across apps: a guarantee fund with its staff, a certified key group, and a loan taken through
the three tiers to disbursement, all by the real actions."""

import datetime as dt
from decimal import Decimal
from typing import Any

from chuangye.accounts.models import Organisation, Role, User
from chuangye.accounts.testing import make_org, make_user
from chuangye.cases.actions import case_transition
from chuangye.cases.models import Case
from chuangye.loans import ledger
from chuangye.loans.actions import loan_disburse
from chuangye.loans.applications import loan_apply
from chuangye.loans.models import AccountKind, GuaranteeFund, LedgerTransaction, Loan
from chuangye.registry.models import KeyGroupCategory, KeyGroupStatus, Person


def make_guarantor(username: str = "xutao", region_code: str = "510100", *, deposit: str = "1000000.00") -> User:
    """徐涛 of the city's guarantee fund, with ``deposit`` yuan already paid into the fund."""
    org = make_org("成都市创业担保基金管理中心", Organisation.Kind.GUARANTOR, region_code)
    fund = GuaranteeFund.objects.create(organisation=org, name="成都市创业担保基金", region_code=region_code)
    if Decimal(deposit):
        seed_fund(fund, Decimal(deposit))
    return make_user(username, Role.PARTNER, region_code=region_code, org=org, real_name="徐涛")


def seed_fund(fund: GuaranteeFund, amount: Decimal) -> None:
    ledger.post(
        LedgerTransaction.Kind.DEPOSIT,
        on=dt.date(2025, 1, 2),
        fund=fund,
        lines=[
            (ledger.account(AccountKind.FUND_CASH, fund=fund), amount),
            (ledger.account(AccountKind.FUND_CAPITAL, fund=fund), -amount),
        ],
        memo="财政注资（测试）",
    )


def certify(person: Person, code: str = "graduate", since: dt.date = dt.date(2024, 7, 1)) -> KeyGroupStatus:
    category = KeyGroupCategory.objects.get(code=code)
    return KeyGroupStatus.objects.create(
        person=person,
        category=category,
        state=KeyGroupStatus.State.CERTIFIED,
        valid_from=since,
        region_code=person.region_code,
    )


def apply(citizen: User, bank_user: User, **overrides: Any) -> Case:
    kind = overrides.pop("kind", "individual")
    data = {
        "requested_amount": "200000.00",
        "term_months": "24",
        "purpose": "文创工作室装修与设备",
        "bank": str(bank_user.organisation_id),
        **overrides,
    }
    return loan_apply(applicant=citizen, kind=kind, data=data)


def approve(case: Case, officer: User, guarantor: User, bank_user: User) -> Case:
    """The three tiers say yes: bureau, guarantee institution, bank."""
    case = case_transition(case=case, action="qualify", actor=officer)
    case = case_transition(case=case, action="guarantor_approve", actor=guarantor)
    return case_transition(case=case, action="bank_approve", actor=bank_user)


def disburse(case: Case, bank_user: User, **overrides: Any) -> Loan:
    data = {
        "contract_number": f"JK-{case.pk:04d}",
        "contract_date": "2025-06-10",
        "disbursed_on": "2025-06-10",
        "principal": "200000.00",
        "term_months": "24",
        "spread": "0",
        "method": "interest_only",
        "basis": "360",
        "frequency": "quarterly",
        **overrides,
    }
    return loan_disburse(actor=bank_user, application=case.loan_application, data=data)


def route_objects(*, li: User, wei: User, officers: dict[str, User], banks: dict[str, User]) -> dict[str, Any]:
    """Loan objects for the route-walking access test: 李晓雨's loan through 黄磊's bank in 锦江区 and 魏宁's through
    吴婷's bank in 武侯区, each with its application, a subsidy claim approved by the district and a payment batch.
    ``officers`` and ``banks`` are keyed "li" and "wei" (the district officer and the bank of each)."""
    import time_machine

    from chuangye.loans.actions import loan_repay
    from chuangye.loans.subsidy import subsidy_batch_create, subsidy_claim_file, subsidy_claim_review

    def travel(day: dt.date) -> Any:
        moment = dt.datetime.combine(day, dt.time(10), tzinfo=dt.timezone(dt.timedelta(hours=8)))
        return time_machine.travel(moment, tick=False)

    guarantor = make_guarantor("xutao_routes")
    citizens = {"li": li, "wei": wei}
    for citizen in citizens.values():
        citizen.person.refresh_from_db()  # values as stored (a test may have built the person from strings)
        certify(citizen.person)
    with travel(dt.date(2025, 6, 3)):
        cases = {k: approve(apply(c, banks[k]), officers[k], guarantor, banks[k]) for k, c in citizens.items()}
    with travel(dt.date(2025, 6, 10)):
        loans = {k: disburse(case, banks[k]) for k, case in cases.items()}
    with travel(dt.date(2025, 6, 20)):
        for k, loan in loans.items():
            loan_repay(actor=banks[k], loan=loan, paid_on=dt.date(2025, 6, 20), principal="0", interest="166.67")
    with travel(dt.date(2025, 7, 2)):
        claims = {k: subsidy_claim_file(actor=banks[k], year=2025, quarter=2)[0] for k in citizens}
        for k, claim in claims.items():
            subsidy_claim_review(actor=officers[k], claim=claim, approve=True)
        batches = {
            k: subsidy_batch_create(actor=officers[k], region_code=claim.region_code, claims=[claim])
            for k, claim in claims.items()
        }
    return {
        "application_id": {k: case.loan_application for k, case in cases.items()},
        "loan_id": loans,
        "claim_id": claims,
        "batch_id": batches,
    }
