"""A stateful property test of the money: random sequences of deposits, disbursements, repayments (right, partial,
too much, early), the passing of time, extensions, quarterly subsidy claims with approval and payment batches,
compensation claims and payments, recoveries and write-offs. After every step every ledger balances to the 分, no
account that may not go negative does, each loan's schedule agrees with its ledger accounts, and subsidy lines,
claims, batches and the ledger reconcile. Refusals are part of the game: a refused action must leave no trace."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.db.models import F
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from chuangye.accounts.testing import make_citizen, make_user
from chuangye.cases.actions import case_transition
from chuangye.core.errors import DomainError
from chuangye.core.money import ZERO
from chuangye.loans import ledger
from chuangye.loans.actions import loan_repay
from chuangye.loans.defaults import (
    compensation_claim_file,
    compensation_pay,
    compensation_refuse,
    loan_write_off,
    recovery_record,
)
from chuangye.loans.extensions import extension_apply
from chuangye.loans.fund import fund_deposit
from chuangye.loans.models import (
    AccountKind,
    CompensationClaim,
    GuaranteeFund,
    LedgerEntry,
    Loan,
    LoanApplication,
    SubsidyLine,
)
from chuangye.loans.servicing import accrue, balances, due_unpaid
from chuangye.loans.subsidy import (
    subsidy_batch_create,
    subsidy_batch_pay,
    subsidy_claim_file,
    subsidy_claim_review,
    subsidy_problems,
)
from chuangye.loans.testing import apply, approve, certify, disburse, make_guarantor
from chuangye.loans.tests.conftest import BEIJING, at

CENTS = st.integers(min_value=1, max_value=30_000_000).map(lambda fen: Decimal(fen) / 100)


class LoanBook(RuleBasedStateMachine):
    """One fund, one bank, four approved applications; time moves forward only."""

    world: dict = {}  # noqa: RUF012 - set once per test function, shared by its examples

    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()  # every example starts from the same world and is rolled back at teardown
        self.today = dt.date(2025, 6, 10)
        self.loans: list[Loan] = []

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def travel(self) -> time_machine.travel:
        return time_machine.travel(dt.datetime.combine(self.today, dt.time(10), tzinfo=BEIJING), tick=False)

    def attempt(self, action, *refusals: str) -> object:
        """Run an action; a refusal (a ``DomainError``) must roll back everything it did."""
        before = (LedgerEntry.objects.count(), self.fingerprint())
        try:
            with self.travel(), transaction.atomic():
                return action()
        except DomainError as error:
            assert not refusals or error.code in refusals, (error.code, error.message)
            assert (LedgerEntry.objects.count(), self.fingerprint()) == before
            return None

    def fingerprint(self) -> list[tuple[str, Decimal]]:
        return list(ledger.LedgerAccount.objects.order_by("key").values_list("key", "balance"))

    @rule(amount=CENTS)
    def deposit(self, amount: Decimal) -> None:
        fund = GuaranteeFund.objects.get()
        self.attempt(
            lambda: fund_deposit(
                actor=self.world["city"], fund=fund, amount=str(amount), on=self.today, note="财政注资"
            )
        )

    TERMS = {  # noqa: RUF012 - strategies, not state
        "principal": st.sampled_from(["30000.00", "100000.00", "199999.99"]),
        "method": st.sampled_from(["interest_only", "equal_principal", "equal_instalment"]),
        "basis": st.sampled_from(["360", "365"]),
        "frequency": st.sampled_from(["quarterly", "monthly"]),
        "months": st.integers(3, 24),
    }

    @initialize(**TERMS)
    def first_loan(self, principal: str, method: str, basis: str, frequency: str, months: int) -> None:
        self.disburse(0, principal, method, basis, frequency, months)

    @rule(index=st.integers(1, 3), **TERMS)
    def disburse(self, index: int, principal: str, method: str, basis: str, frequency: str, months: int) -> None:
        application = self.world["applications"][index]
        if Loan.objects.filter(application=application).exists():
            return
        made = self.attempt(
            lambda: disburse(
                application.case,
                self.world["bank"],
                contract_date=self.today.isoformat(),
                disbursed_on=self.today.isoformat(),
                principal=principal,
                term_months=str(months),
                method=method,
                basis=basis,
                frequency=frequency,
            ),
            "leverage_exceeded",
        )
        if made is not None:
            self.loans.append(made)

    @rule(days=st.integers(1, 100))
    def time_passes(self, days: int) -> None:
        self.today += dt.timedelta(days=days)

    @precondition(lambda self: self.loans)
    @rule(data=st.data(), kind=st.sampled_from(["due", "part", "too_much", "early", "settle"]))
    def repay(self, data: st.DataObject, kind: str) -> None:
        loan = data.draw(st.sampled_from(self.loans))
        loan.refresh_from_db()
        if loan.state != Loan.State.ACTIVE:
            return
        with self.travel(), transaction.atomic():
            accrue(loan, up_to=self.today)  # what the daily sweep does; recognised interest only
        due_p, due_i = due_unpaid(loan, self.today)
        owed = balances(loan)
        principal, interest = {
            "due": (due_p, due_i),
            "part": (due_p / 2, due_i / 3),
            "too_much": (owed.principal + Decimal("0.01"), due_i),
            "early": (due_p + owed.principal / 4, owed.interest),
            "settle": (owed.principal, owed.interest),
        }[kind]
        principal, interest = principal.quantize(Decimal("0.01")), interest.quantize(Decimal("0.01"))
        if principal + interest == 0:
            return
        self.attempt(
            lambda: loan_repay(
                actor=self.world["bank"],
                loan=loan,
                paid_on=self.today,
                principal=str(principal),
                interest=str(interest),
            ),
            "invalid_field",
            "conflict",
        )

    def in_state(self, state: str, **filters: object) -> list[Loan]:
        return list(Loan.objects.filter(pk__in=[loan.pk for loan in self.loans], state=state, **filters))

    # Rules for rarer events are enabled only when they can apply, so that sequences reach them.
    @precondition(lambda self: self.in_state("active", next_unpaid_due__lt=self.today - dt.timedelta(days=85)))
    @rule(data=st.data(), pay=st.booleans())
    def compensate(self, data: st.DataObject, pay: bool) -> None:
        loan = data.draw(st.sampled_from(self.in_state("active")))
        claim = self.attempt(
            lambda: compensation_claim_file(actor=self.world["bank"], loan=loan), "not_overdue_enough", "conflict"
        )
        claim = claim or loan.compensation_claims.filter(state=CompensationClaim.State.FILED).first()
        if claim is None:
            return
        if pay:
            self.attempt(
                lambda: compensation_pay(actor=self.world["guarantor"], claim=claim), "insufficient_balance", "conflict"
            )
        else:
            self.attempt(lambda: compensation_refuse(actor=self.world["guarantor"], claim=claim, note="材料不全"))

    @precondition(lambda self: self.in_state("compensated"))
    @rule(data=st.data(), part=st.sampled_from(["some", "all", "too_much"]))
    def recover(self, data: st.DataObject, part: str) -> None:
        loan = data.draw(st.sampled_from(self.in_state("compensated")))
        owed = balances(loan)
        total = owed.recovery + owed.owed_to_bank
        amount = {"some": (total / 3).quantize(Decimal("0.01")), "all": total, "too_much": total + Decimal("0.01")}
        if not amount[part]:
            return
        self.attempt(
            lambda: recovery_record(
                actor=self.world["bank"], loan=loan, amount=str(amount[part]), recovered_on=self.today.isoformat()
            ),
            "invalid_field",
            "conflict",
        )

    @precondition(lambda self: self.in_state("active", extended_months=0))
    @rule(data=st.data(), months=st.integers(1, 12))
    def extend(self, data: st.DataObject, months: int) -> None:
        loan = data.draw(st.sampled_from(self.in_state("active", extended_months=0)))
        w = self.world

        def approve_extension() -> object:
            case = extension_apply(applicant=loan.person.user, loan=loan, months=str(months), reason="临时资金周转困难")
            for action, actor in (("bank_approve", w["bank"]), ("guarantor_approve", w["guarantor"])):
                case = case_transition(case=case, action=action, actor=actor)
            return case_transition(case=case, action="approve", actor=w["officer"])

        self.attempt(approve_extension, "conflict")

    @precondition(lambda self: self.loans)
    @rule(pay=st.booleans())
    def claim_subsidy(self, pay: bool) -> None:
        """The bank claims last quarter's subsidy; the bureau approves it and, sometimes, pays it in a batch."""
        w, quarter = self.world, (self.today.month - 1) // 3
        year, quarter = (self.today.year, quarter) if quarter else (self.today.year - 1, 4)
        claims = self.attempt(
            lambda: subsidy_claim_file(actor=w["bank"], year=year, quarter=quarter), "nothing_to_claim", "conflict"
        )
        for claim in claims or []:
            self.attempt(lambda claim=claim: subsidy_claim_review(actor=w["officer"], claim=claim, approve=True))
            if pay:
                batch = self.attempt(
                    lambda claim=claim: subsidy_batch_create(
                        actor=w["officer"], region_code=claim.region_code, claims=[claim]
                    )
                )
                self.attempt(lambda batch=batch: subsidy_batch_pay(actor=w["supervisor"], batch=batch))

    @precondition(lambda self: self.in_state("compensated"))
    @rule(data=st.data())
    def write_off(self, data: st.DataObject) -> None:
        loan = data.draw(st.sampled_from(self.in_state("compensated")))
        self.attempt(
            lambda: loan_write_off(actor=self.world["guarantor"], loan=loan, reason="确认无法收回"), "conflict"
        )

    @invariant()
    def ledgers_balance_to_the_fen_and_nothing_goes_negative(self) -> None:
        assert ledger.ledger_problems() == []

    @invariant()
    def subsidy_lines_claims_batches_and_ledger_reconcile(self) -> None:
        assert subsidy_problems() == []
        assert not SubsidyLine.objects.filter(active=True, amount__gt=F("interest_paid")).exists()

    @invariant()
    def each_active_loan_schedule_agrees_with_its_ledger(self) -> None:
        for loan in Loan.objects.filter(state=Loan.State.ACTIVE):
            rows = list(loan.schedule.all())
            owed = balances(loan)
            assert owed.principal == sum((r.unpaid_principal for r in rows), ZERO)
            assert owed.interest == sum((r.unpaid_interest for r in rows if r.interest_accrued), ZERO)
            assert sum((r.principal for r in rows), ZERO) == loan.principal
            # The schedule runs to maturity, unless the principal was repaid early (the last period ended that day).
            assert rows[-1].due == loan.maturity or owed.principal == 0
            assert owed.recovery == 0

    @invariant()
    def the_fund_holds_what_came_in_less_what_went_out(self) -> None:
        fund = GuaranteeFund.objects.get()
        capital = ledger.balance(AccountKind.FUND_CAPITAL, fund=fund)
        paid = sum(CompensationClaim.objects.filter(state="paid").values_list("amount", flat=True), ZERO)
        recovered = sum(
            ledger.LedgerEntry.objects.filter(
                account__kind=AccountKind.LOAN_RECOVERY, amount__lt=0, transaction__kind="recovery"
            ).values_list("amount", flat=True),
            ZERO,
        )
        assert ledger.balance(AccountKind.FUND_CASH, fund=fund) == capital - paid - recovered


@pytest.mark.django_db
def test_the_loan_book_always_balances(zhao_jianguo, wang_fang, yang_fan, huang_lei):
    guarantor = make_guarantor(deposit="400000.00")
    applicants = [zhao_jianguo] + [
        make_citizen(
            f"b{i}", f"借款人{i}", phone=f"1390000000{i}", region_code="510104", birth="1990-01-0" + str(i), sex="M"
        )
        for i in range(1, 4)
    ]
    for citizen in applicants:
        certify(citizen.person, "returning_migrant", dt.date(2023, 1, 1))
    with at(2025, 6, 3):
        cases = [approve(apply(c, huang_lei), wang_fang, guarantor, huang_lei) for c in applicants]
    LoanBook.world = {
        "officer": wang_fang,
        "supervisor": make_user("liumin", "supervisor", region_code="510104", real_name="刘敏"),
        "bank": huang_lei,
        "guarantor": guarantor,
        "city": yang_fan,
        "applications": [LoanApplication.objects.get(case=c) for c in cases],
    }
    LoanBook.TestCase.settings = settings(max_examples=50, stateful_step_count=40)
    LoanBook.TestCase().runTest()
