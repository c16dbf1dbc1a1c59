"""Guarantee funds, loan applications (the payload of a loan case) and regional parameter overrides."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from chuangye.core.money import MoneyField


class LoanKind(models.TextChoices):
    INDIVIDUAL = "individual", "个人创业担保贷款"
    PARTNERSHIP = "partnership", "合伙创业担保贷款"
    ENTERPRISE = "enterprise", "小微企业创业担保贷款"


class GuaranteeFund(models.Model):
    """A guarantee fund (创业担保基金), run by a guarantee institution, guaranteeing loans of its region.

    Its money is in the ledger (``fund_cash``); this row is what money actions lock first.
    """

    organisation = models.OneToOneField(
        "accounts.Organisation", verbose_name="担保机构", on_delete=models.PROTECT, related_name="guarantee_fund"
    )
    name = models.CharField("基金名称", max_length=100)
    region_code = models.CharField("担保范围（行政区划）", max_length=6, db_index=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "创业担保基金"
        ordering: ClassVar[list[str]] = ["region_code", "id"]

    def __str__(self) -> str:
        return self.name


class LoanApplication(models.Model):
    """What a borrower applies for, and the policy engine's decisions on it, stored with the case."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="loan_application")
    kind = models.CharField("贷款类别", max_length=12, choices=LoanKind.choices)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="loan_applications")
    business = models.ForeignKey(
        "registry.Business", null=True, blank=True, on_delete=models.PROTECT, related_name="loan_applications"
    )
    region_code = models.CharField("经办地", max_length=6, db_index=True)
    bank = models.ForeignKey(
        "accounts.Organisation", verbose_name="经办银行", on_delete=models.PROTECT, related_name="loan_applications"
    )
    fund = models.ForeignKey(GuaranteeFund, verbose_name="担保基金", on_delete=models.PROTECT, related_name="+")
    requested_amount = MoneyField("申请金额")
    term_months = models.PositiveSmallIntegerField("申请期限（月）")
    purpose = models.CharField("贷款用途", max_length=200)
    # Self-declared facts (other debts, honours, hires): the borrower's written commitment, shown to every tier.
    declarations = models.JSONField("申请人声明", default=dict, blank=True)
    decision = models.ForeignKey(
        "policies.Decision", verbose_name="资格判断", on_delete=models.PROTECT, related_name="+"
    )
    waiver_decision = models.ForeignKey(
        "policies.Decision",
        verbose_name="免除反担保判断",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    eligible_amount = MoneyField("可贷额度")
    counter_guarantee_waived = models.BooleanField("免除反担保", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "贷款申请"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(requested_amount__gt=0), name="loan_app_requested_positive"),
            models.CheckConstraint(condition=Q(eligible_amount__gte=0), name="loan_app_eligible_not_negative"),
            models.CheckConstraint(condition=Q(term_months__gte=1), name="loan_app_term_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class LoanParameterOverride(models.Model):
    """A region's value for one of ``loans.params`` from ``effective_from``, citing the document; never edited."""

    name = models.CharField("参数", max_length=80)
    region_code = models.CharField("行政区划代码", max_length=6)
    value = models.CharField("取值", max_length=40)
    effective_from = models.DateField("施行日期")
    document_number = models.CharField("文号", max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "贷款参数地方调整"
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["name", "region_code"], name="loans_param_name_region"),
        ]

    def __str__(self) -> str:
        return f"{self.name}@{self.region_code} {self.effective_from}: {self.value}"
