"""Claims on public money: compensation by the guarantee fund (代偿), recoveries, write-offs, and the quarterly
interest-subsidy claims (先付后贴) with their lines and payment batches."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from chuangye.core.money import MoneyField
from chuangye.loans.models.loan import Loan, ScheduleRow


class CompensationClaim(models.Model):
    """``amount`` = ``principal_part`` + ``interest_part`` (set together in ``defaults``; not a database check
    because SQLite compares such sums as floating point)."""

    class State(models.TextChoices):
        FILED = "filed", "待基金审核"
        PAID = "paid", "已代偿"
        REFUSED = "refused", "不予代偿"

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="compensation_claims")
    filed_on = models.DateField("申请日")
    days_overdue = models.PositiveIntegerField("逾期天数")
    principal_outstanding = MoneyField("逾期本金余额")
    interest_outstanding = MoneyField("欠息")
    share = models.DecimalField("代偿比例", max_digits=7, decimal_places=6)
    share_source = models.CharField("比例依据", max_length=200)
    principal_part = MoneyField("代偿本金")
    interest_part = MoneyField("代偿利息")
    amount = MoneyField("代偿金额")
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.FILED)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("意见", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代偿申请"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["loan"], condition=Q(state__in=["filed", "paid"]), name="compensation_once_per_loan"
            ),
            models.CheckConstraint(
                condition=Q(principal_part__gte=0) & Q(interest_part__gte=0), name="compensation_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan} 代偿 {self.amount}"


class Recovery(models.Model):
    """Money recovered from a defaulted borrower after compensation, shared back in the compensation proportions:
    ``amount`` = ``fund_part`` + ``bank_part`` exactly (``defaults.share_recovery``)."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="recoveries")
    recovered_on = models.DateField("回收日")
    amount = MoneyField("回收金额")
    fund_part = MoneyField("归还基金")
    bank_part = MoneyField("归银行")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "追偿回收"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(fund_part__gte=0) & Q(bank_part__gte=0), name="recovery_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan} 回收 {self.amount}"


class WriteOff(models.Model):
    loan = models.OneToOneField(Loan, on_delete=models.PROTECT, related_name="write_off")
    written_off_on = models.DateField("核销日")
    reason = models.CharField("核销理由", max_length=500)
    bank_amount = MoneyField("银行核销金额")
    fund_amount = MoneyField("基金核销金额")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "核销"

    def __str__(self) -> str:
        return f"{self.loan} 核销"


class SubsidyBatch(models.Model):
    """A bureau's payment batch of approved subsidy claims: prepared by one officer, approved by another."""

    class State(models.TextChoices):
        DRAFT = "draft", "待审批"
        PAID = "paid", "已拨付"

    number = models.CharField("批次号", max_length=40, unique=True)
    region_code = models.CharField("行政区划", max_length=6, db_index=True)
    total = MoneyField("合计", default=0)
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    paid_on = models.DateField("拨付日", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "贴息拨付批次"
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(total__gte=0), name="subsidy_batch_total_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number


class SubsidyClaim(models.Model):
    """A bank's claim for one quarter: one line per interest period whose interest was paid in that quarter."""

    class State(models.TextChoices):
        FILED = "filed", "待审核"
        APPROVED = "approved", "已核定"
        REFUSED = "refused", "退回"
        PAID = "paid", "已拨付"

    bank = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="subsidy_claims")
    region_code = models.CharField("经办地", max_length=6, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    total = MoneyField("贴息合计", default=0)
    interest_total = MoneyField("已付利息合计", default=0)
    line_count = models.PositiveIntegerField("明细数", default=0)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.FILED)
    batch = models.ForeignKey(SubsidyBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    parameters = models.JSONField("所用参数", default=list)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "贴息申报"
        ordering: ClassVar[list[str]] = ["-year", "-quarter", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["bank", "region_code", "year", "quarter"],
                condition=~Q(state="refused"),
                name="subsidy_claim_once_per_quarter",
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="subsidy_claim_quarter"),
            models.CheckConstraint(condition=Q(total__gte=0), name="subsidy_claim_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.bank} {self.year}年第{self.quarter}季度"

    @property
    def period_label(self) -> str:
        return f"{self.year}年第{self.quarter}季度"


class SubsidyLine(models.Model):
    claim = models.ForeignKey(SubsidyClaim, on_delete=models.CASCADE, related_name="lines")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="subsidy_lines")
    row = models.ForeignKey(ScheduleRow, on_delete=models.PROTECT, related_name="subsidy_lines")
    period_start = models.DateField("起息日")
    due = models.DateField("结息日")
    days = models.PositiveSmallIntegerField("计息天数")
    principal_basis = MoneyField("计息本金")
    interest_paid = MoneyField("已付利息")
    amount = MoneyField("贴息金额")
    eligible = models.BooleanField("符合贴息条件")
    reason = models.CharField("说明", max_length=200, blank=True)
    # A refused claim releases its lines so that the periods can be claimed again.
    active = models.BooleanField(default=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["row"], condition=Q(active=True), name="subsidy_period_claimed_once"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=F("interest_paid")), name="subsidy_within_interest_paid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.loan_id} {self.amount}"
