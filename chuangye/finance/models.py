"""The LPR series as published (plan 6) and the banks' catalogue of financial products for start-ups."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from chuangye.core.money import MoneyField


class LprRate(models.Model):
    """One published loan prime rate, in force from ``effective_from`` until the next one of the same term."""

    class Term(models.TextChoices):
        ONE_YEAR = "1y", "1年期"
        FIVE_YEAR = "5y", "5年期以上"

    effective_from = models.DateField("起始日期")
    term = models.CharField("期限", max_length=2, choices=Term.choices)
    rate = models.DecimalField("利率（小数）", max_digits=7, decimal_places=6)
    source = models.CharField("来源", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "贷款市场报价利率（LPR）"
        ordering: ClassVar[list[str]] = ["term", "-effective_from"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["term", "effective_from"], name="lpr_one_rate_per_term_and_day"),
            models.CheckConstraint(condition=Q(rate__gt=0) & Q(rate__lt=1), name="lpr_rate_fraction"),
        ]

    def __str__(self) -> str:
        return f"{self.get_term_display()} {self.effective_from}: {self.rate}"


class FinancialProduct(models.Model):
    """A bank's loan product for start-ups: rate as LPR plus a spread range, amounts, terms and who it serves."""

    class Category(models.TextChoices):
        INCLUSIVE = "inclusive", "普惠小微贷款"
        FIRST_LOAN = "first_loan", "首贷"
        CREDIT = "credit", "信用贷"
        LONG_TERM = "long_term", "中长期贷款"

    class Borrower(models.TextChoices):
        PERSON = "person", "个人（个体工商户、创业者）"
        BUSINESS = "business", "小微企业"

    bank = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="financial_products")
    name = models.CharField("产品名称", max_length=100)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    borrower = models.CharField("借款人类型", max_length=10, choices=Borrower.choices)
    lpr_term = models.CharField("参考 LPR", max_length=2, choices=LprRate.Term.choices, default="1y")
    spread_min = models.DecimalField("加点下限", max_digits=7, decimal_places=6)
    spread_max = models.DecimalField("加点上限", max_digits=7, decimal_places=6)
    amount_min = MoneyField("最低金额")
    amount_max = MoneyField("最高金额")
    term_min_months = models.PositiveSmallIntegerField("最短期限（月）")
    term_max_months = models.PositiveSmallIntegerField("最长期限（月）")
    # Key groups (the policy engine's codes) served first; empty for everyone.
    target_groups = models.JSONField("服务群体", default=list, blank=True)
    collateral_free = models.BooleanField("免抵押", default=False)
    first_loan_only = models.BooleanField("仅限首次贷款", default=False)
    description = models.CharField("说明", max_length=500, blank=True)
    is_active = models.BooleanField("在售", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "金融产品"
        ordering: ClassVar[list[str]] = ["category", "bank", "name"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(spread_max__gte=F("spread_min")), name="product_spread_range"),
            models.CheckConstraint(
                condition=Q(amount_min__gt=0) & Q(amount_max__gte=F("amount_min")), name="product_amount_range"
            ),
            models.CheckConstraint(
                condition=Q(term_min_months__gte=1) & Q(term_max_months__gte=F("term_min_months")),
                name="product_term_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank} {self.name}"
