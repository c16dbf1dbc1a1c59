"""Banks' financial products for start-ups (plan 6): the catalogue, "products that fit me" for a person or a
business, and what financing costs (rates over the LPR, before and after the interest subsidy)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from chuangye.accounts.models import Organisation, Role
from chuangye.core.audit import record_event
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.core.money import ZERO, parse_money
from chuangye.finance.models import FinancialProduct
from chuangye.loans.actions import reference_rate
from chuangye.loans.inputs import choice, int_between, parse_spread, short_text
from chuangye.loans.models import Loan, SubsidyClaim, SubsidyLine
from chuangye.policies.facts import KEY_GROUPS
from chuangye.registry.models import Business, Person
from chuangye.registry.selectors import active_key_groups


@transaction.atomic
def product_create(*, actor: Any, data: Mapping[str, Any], request: HttpRequest | None = None) -> FinancialProduct:
    """A bank publishes a product. Spreads and amounts are checked as ranges; target groups are the policy
    engine's key-group codes."""
    if getattr(actor, "role", None) != Role.PARTNER or actor.organisation.kind != Organisation.Kind.BANK:
        raise DomainError("只有经办银行可以发布金融产品", code="forbidden", status=403)
    spread_min = parse_spread(data.get("spread_min"), field="spread_min", label="加点下限")
    spread_max = parse_spread(data.get("spread_max"), field="spread_max", label="加点上限")
    if spread_max < spread_min:
        raise FieldValueError("spread_max", "加点上限", "不能低于加点下限")
    amount_min = parse_money(data.get("amount_min"), field="amount_min", label="最低金额", allow_zero=False)
    amount_max = parse_money(data.get("amount_max"), field="amount_max", label="最高金额", allow_zero=False)
    if amount_max < amount_min:
        raise FieldValueError("amount_max", "最高金额", "不能低于最低金额")
    term_min = int_between(data.get("term_min_months"), 1, 360, field="term_min_months", label="最短期限（月）")
    term_max = int_between(data.get("term_max_months"), term_min, 360, field="term_max_months", label="最长期限（月）")
    groups = [g for g in data.get("target_groups") or [] if g]
    unknown = set(groups) - set(KEY_GROUPS)
    if unknown:
        raise FieldValueError("target_groups", "服务群体", "含有未知的群体代码：" + "、".join(sorted(unknown)))
    product = FinancialProduct.objects.create(
        bank=actor.organisation,
        name=short_text(data.get("name"), field="name", label="产品名称", low=2, high=100),
        category=choice(data.get("category"), dict(FinancialProduct.Category.choices), field="category", label="类别"),
        borrower=choice(
            data.get("borrower"), dict(FinancialProduct.Borrower.choices), field="borrower", label="借款人类型"
        ),
        lpr_term=choice(
            data.get("lpr_term") or "1y", {"1y": "1年期", "5y": "5年期以上"}, field="lpr_term", label="参考 LPR"
        ),
        spread_min=spread_min,
        spread_max=spread_max,
        amount_min=amount_min,
        amount_max=amount_max,
        term_min_months=term_min,
        term_max_months=term_max,
        target_groups=[g for g in KEY_GROUPS if g in groups],
        collateral_free=bool(data.get("collateral_free")),
        first_loan_only=bool(data.get("first_loan_only")),
        description=str(data.get("description") or "").strip()[:500],
    )
    record_event(
        "finance.product_created",
        actor=actor,
        object_type="finance.FinancialProduct",
        object_id=product.pk,
        region_code=actor.organisation.region_code,
        details={"name": product.name},
        request=request,
    )
    return product


@dataclass(frozen=True)
class Match:
    product: FinancialProduct
    rate_low: Decimal
    rate_high: Decimal
    why: str


def _rates(product: FinancialProduct, on: dt.date) -> tuple[Decimal, Decimal]:
    lpr, _ = reference_rate(product.lpr_term, on)
    return lpr + product.spread_min, lpr + product.spread_max


def _matches(products: QuerySet[FinancialProduct], groups: set[str], first_time: bool, on: dt.date) -> list[Match]:
    found = []
    for product in products.select_related("bank"):
        targeted = set(product.target_groups)
        if targeted and not targeted & groups:
            continue
        if product.first_loan_only and not first_time:
            continue
        why = []
        if targeted:
            why.append("面向" + "、".join(KEY_GROUPS[g] for g in product.target_groups if g in groups))
        if product.first_loan_only:
            why.append("首次贷款")
        if product.collateral_free:
            why.append("免抵押")
        low, high = _rates(product, on)
        found.append(Match(product, low, high, "；".join(why) or "面向全部创业者"))
    return sorted(found, key=lambda m: (m.rate_low, m.product.pk))


def products_for_person(person: Person, *, on: dt.date) -> list[Match]:
    """Products in the person's city for individual borrowers, of the key groups the person belongs to on ``on``."""
    products = FinancialProduct.objects.filter(
        is_active=True,
        borrower=FinancialProduct.Borrower.PERSON,
        bank__is_active=True,
        bank__region_code__startswith=person.region_code[:4],
    )
    first_time = not Loan.objects.filter(person=person).exists()
    return _matches(products, active_key_groups(person, on), first_time, on)


def products_for_business(business: Business, *, on: dt.date) -> list[Match]:
    """Products for small and micro enterprises in the business's city (none if it is not small or micro)."""
    if not business.is_small_micro:
        return []
    products = FinancialProduct.objects.filter(
        is_active=True,
        borrower=FinancialProduct.Borrower.BUSINESS,
        bank__is_active=True,
        bank__region_code__startswith=business.region_code[:4],
    )
    groups: set[str] = set()
    if business.legal_representative is not None:
        groups = active_key_groups(business.legal_representative, on)
    first_time = not Loan.objects.filter(business=business).exists()
    return _matches(products, groups, first_time, on)


@dataclass(frozen=True)
class CostRow:
    bank: str
    loans: int
    principal: Decimal
    average_rate: Decimal
    average_spread: Decimal
    interest_paid: Decimal
    subsidy: Decimal

    @property
    def borrower_rate(self) -> Decimal:
        """The average rate net of the subsidy, in proportion to the interest the subsidy covered."""
        if not self.interest_paid:
            return self.average_rate
        return self.average_rate * (self.interest_paid - self.subsidy) / self.interest_paid


def financing_cost(loans: QuerySet[Loan]) -> list[CostRow]:
    """Per bank, principal-weighted average rate and spread over the LPR of ``loans``, the interest their
    borrowers paid and the subsidy approved on it. Summed in Decimal."""
    groups: dict[str, list[Loan]] = defaultdict(list)
    for loan in loans.select_related("bank"):
        groups[loan.bank.name].append(loan)
    subsidy: dict[int, Decimal] = defaultdict(Decimal)
    lines = SubsidyLine.objects.filter(
        loan__in=loans, active=True, claim__state__in=[SubsidyClaim.State.APPROVED, SubsidyClaim.State.PAID]
    )
    for loan_id, amount in lines.values_list("loan_id", "amount"):
        subsidy[loan_id] += amount
    paid: dict[int, Decimal] = defaultdict(Decimal)
    for loan_id, interest in loans.filter(~Q(repayments=None)).values_list("id", "repayments__interest"):
        paid[loan_id] += interest or ZERO
    rows = []
    for bank, members in sorted(groups.items()):
        principal = sum((m.principal for m in members), ZERO)
        rows.append(
            CostRow(
                bank=bank,
                loans=len(members),
                principal=principal,
                average_rate=sum((m.principal * m.annual_rate for m in members), ZERO) / principal,
                average_spread=sum((m.principal * m.spread for m in members), ZERO) / principal,
                interest_paid=sum((paid[m.pk] for m in members), ZERO),
                subsidy=sum((subsidy[m.pk] for m in members), ZERO),
            )
        )
    return rows
