"""Posting to the double-entry ledger, and the one lock order every money action follows.

Lock order (so that two money actions can never wait on each other in a cycle): the guarantee fund row first, then
loan rows by ascending id, then ledger accounts by ascending id (``post`` takes those itself), then the audit chain
(``record_event``, last). On SQLite the whole write transaction is serialised instead (``BEGIN IMMEDIATE``).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from chuangye.core.errors import DomainError
from chuangye.core.money import ZERO, to_fen
from chuangye.loans.models import (
    AccountKind,
    GuaranteeFund,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Loan,
)
from chuangye.loans.models.ledger import EXTERNAL, NORMAL_SIDE

Line = tuple[LedgerAccount, Decimal]


def _key(kind: str, loan: Any, fund: Any, bank: Any, region_code: str) -> str:
    if loan is not None:
        return f"{kind}:loan:{loan.pk}"
    if fund is not None:
        return f"{kind}:fund:{fund.pk}"
    if bank is not None:
        return f"{kind}:bank:{bank.pk}" + (f":{region_code}" if region_code else "")
    return f"{kind}:region:{region_code}"


def account(kind: str, *, loan: Any = None, fund: Any = None, bank: Any = None, region_code: str = "") -> LedgerAccount:
    """The account of ``kind`` for a loan, a fund, a bank (optionally per region) or a region; created on first use."""
    key = _key(kind, loan, fund, bank, region_code)
    found = LedgerAccount.objects.filter(key=key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return LedgerAccount.objects.create(
                key=key,
                kind=kind,
                loan=loan,
                fund=fund,
                bank=bank,
                region_code=region_code,
                normal=NORMAL_SIDE[AccountKind(kind)],
                external=kind in EXTERNAL,
            )
    except IntegrityError:  # created at the same moment by another action
        return LedgerAccount.objects.get(key=key)


def lock(*, fund: GuaranteeFund | None = None, loans: Iterable[Loan] = ()) -> tuple[GuaranteeFund | None, list[Loan]]:
    """Lock the fund, then the loans by id, and return fresh copies. Call inside ``transaction.atomic``."""
    fresh_fund = GuaranteeFund.objects.select_for_update().get(pk=fund.pk) if fund is not None else None
    ids = sorted({loan.pk for loan in loans})
    fresh_loans = list(Loan.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    return fresh_fund, fresh_loans


@transaction.atomic
def post(
    kind: str,
    *,
    on: dt.date,
    lines: Sequence[Line],
    loan: Loan | None = None,
    fund: GuaranteeFund | None = None,
    memo: str = "",
    actor: Any = None,
) -> LedgerTransaction | None:
    """Record one balanced transaction (debits positive, credits negative) and move the balances.

    Refuses, naming the account, anything that would take a non-external account below zero; a transaction whose
    lines do not sum to zero is a programming error. Lines of zero are dropped; nothing left posts nothing.
    """
    merged: dict[int, Decimal] = {}
    accounts: dict[int, LedgerAccount] = {}
    for acct, amount in lines:
        if amount != to_fen(amount):
            raise ValueError("ledger amounts are whole 分")
        merged[acct.pk] = merged.get(acct.pk, ZERO) + amount
        accounts[acct.pk] = acct
    if sum(merged.values(), ZERO) != 0:
        raise ValueError(f"unbalanced transaction: {merged}")
    merged = {pk: amount for pk, amount in merged.items() if amount != 0}
    if not merged:
        return None
    locked = {a.pk: a for a in LedgerAccount.objects.select_for_update().filter(pk__in=merged).order_by("pk")}
    for pk, amount in merged.items():
        acct = locked[pk]
        new_balance = acct.balance + amount * acct.normal
        if new_balance < 0 and not acct.external:
            raise DomainError(
                f"「{acct.get_kind_display()}」余额不足：现有 {acct.balance:,.2f} 元，本次需要 {abs(amount):,.2f} 元",
                code="insufficient_balance",
            )
        acct.balance = new_balance
    LedgerAccount.objects.bulk_update(list(locked.values()), ["balance"])
    txn = LedgerTransaction.objects.create(
        kind=kind, occurred_on=on, loan=loan, fund=fund, memo=memo[:200], actor=actor if _is_user(actor) else None
    )
    LedgerEntry.objects.bulk_create(LedgerEntry(transaction=txn, account_id=pk, amount=a) for pk, a in merged.items())
    for pk, acct in locked.items():
        accounts[pk].balance = acct.balance  # the caller's copies see the new balances
    return txn


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def balance(kind: str, *, loan: Any = None, fund: Any = None, bank: Any = None, region_code: str = "") -> Decimal:
    found = LedgerAccount.objects.filter(key=_key(kind, loan, fund, bank, region_code)).values_list(
        "balance", flat=True
    )
    return next(iter(found), ZERO)


def ledger_problems() -> list[str]:
    """Every way the ledger fails to balance: a transaction whose entries do not sum to zero, an account whose
    balance differs from its entries, a non-external account below zero. Empty when all is well.

    Summed here in Decimal, not by the database: SQLite adds decimals as floating point.
    """
    by_transaction: dict[int, Decimal] = defaultdict(Decimal)
    by_account: dict[int, Decimal] = defaultdict(Decimal)
    rows = LedgerEntry.objects.values_list("transaction_id", "account_id", "amount").order_by("id")
    for transaction_id, account_id, amount in rows.iterator(chunk_size=5000):
        by_transaction[transaction_id] += amount
        by_account[account_id] += amount
    problems = [f"凭证 {pk} 借贷不平：{total}" for pk, total in by_transaction.items() if total != 0]
    for acct in LedgerAccount.objects.order_by("id"):
        expected = by_account.get(acct.pk, ZERO) * acct.normal
        if acct.balance != expected:
            problems.append(f"账户 {acct.key} 余额 {acct.balance} 与分录合计 {expected} 不符")
        if acct.balance < 0 and not acct.external:
            problems.append(f"账户 {acct.key} 余额为负：{acct.balance}")
    return problems
