"""Reads: loans with their ledger balances and arrears, portfolio figures by delinquency bucket, a loan's page."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from chuangye.core.money import ZERO, MoneyField
from chuangye.loans.access import loans_for
from chuangye.loans.models import AccountKind, Loan
from chuangye.loans.servicing import BUCKETS, bucket_of, days_past_due

_MONEY = MoneyField()


def _balance(kind: str) -> Any:
    return Coalesce(Sum("accounts__balance", filter=Q(accounts__kind=kind)), Value(ZERO), output_field=_MONEY)


def with_balances(loans: QuerySet[Loan]) -> QuerySet[Loan]:
    """Each loan with ``principal_outstanding``, ``interest_outstanding`` and ``recovery_outstanding`` in one query."""
    return loans.select_related("bank", "fund").annotate(
        principal_outstanding=_balance(AccountKind.LOAN_PRINCIPAL),
        interest_outstanding=_balance(AccountKind.LOAN_INTEREST),
        recovery_outstanding=_balance(AccountKind.LOAN_RECOVERY),
    )


def bucket_filter(code: str, on: dt.date) -> Q:
    """Active loans in a delinquency bucket on ``on`` (by the oldest unpaid instalment's due date)."""
    for bucket, _, low, high in BUCKETS:
        if bucket == code:
            if low == 0:
                return Q(state=Loan.State.ACTIVE) & (Q(next_unpaid_due__isnull=True) | Q(next_unpaid_due__gte=on))
            within = Q(state=Loan.State.ACTIVE, next_unpaid_due__lte=on - dt.timedelta(days=low))
            return within if high >= 10**6 else within & Q(next_unpaid_due__gte=on - dt.timedelta(days=high))
    return Q()


def loan_list(*, user: Any, on: dt.date, state: str = "", bucket: str = "") -> QuerySet[Loan]:
    loans = loans_for(user)
    if state:
        loans = loans.filter(state=state)
    if bucket:
        loans = loans.filter(bucket_filter(bucket, on))
    return with_balances(loans).order_by("-disbursed_on", "-id")


@dataclass(frozen=True)
class BucketRow:
    code: str
    label: str
    count: int
    principal: Decimal


def portfolio(*, user: Any, on: dt.date) -> list[BucketRow]:
    """Active loans in the user's scope by delinquency bucket: count and outstanding principal."""
    loans = loans_for(user)
    rows = []
    for code, label, _, _ in BUCKETS:
        found = loans.filter(bucket_filter(code, on)).aggregate(
            count=Count("id", distinct=True),
            principal=Sum("accounts__balance", filter=Q(accounts__kind=AccountKind.LOAN_PRINCIPAL)),
        )
        rows.append(BucketRow(code, label, found["count"], found["principal"] or ZERO))
    return rows


def arrears(loan: Loan, on: dt.date) -> dict[str, Any]:
    days = days_past_due(loan, on)
    code, label = bucket_of(days)
    return {"days_past_due": days, "bucket": code, "bucket_label": label}
