"""Loans as contracted and disbursed by the bank, their repayment schedules, repayments and extensions.

Balances are not stored here: the ledger (``ledger.py``) is the one record of what is owed and paid. A loan keeps
only its terms, its state and ``next_unpaid_due`` (the oldest instalment not fully paid), from which arrears and
delinquency buckets are read without scanning schedules.
"""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from chuangye.core.money import MoneyField
from chuangye.loans.models.application import GuaranteeFund, LoanKind
from chuangye.loans.schedule import FREQUENCIES, METHODS


# Annual rates are fractions (0.0345) to 6 decimals: 0.0001 % precision, as the policy engine reads them.
class Loan(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", "还款中"
        CLOSED = "closed", "已结清"
        COMPENSATED = "compensated", "已代偿"
        WRITTEN_OFF = "written_off", "已核销"

    number = models.CharField("贷款编号", max_length=40, unique=True)
    application = models.OneToOneField(
        "loans.LoanApplication", null=True, blank=True, on_delete=models.PROTECT, related_name="loan"
    )
    kind = models.CharField("贷款类别", max_length=12, choices=LoanKind.choices)
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="guaranteed_loans"
    )
    business = models.ForeignKey(
        "registry.Business", null=True, blank=True, on_delete=models.PROTECT, related_name="guaranteed_loans"
    )
    borrower_name = models.CharField("借款人", max_length=100)
    region_code = models.CharField("经办地", max_length=6, db_index=True)
    bank = models.ForeignKey(
        "accounts.Organisation", verbose_name="经办银行", on_delete=models.PROTECT, related_name="guaranteed_loans"
    )
    fund = models.ForeignKey(GuaranteeFund, verbose_name="担保基金", on_delete=models.PROTECT, related_name="loans")
    contract_number = models.CharField("借款合同编号", max_length=60)
    contract_date = models.DateField("合同签订日")
    disbursed_on = models.DateField("放款日")
    principal = MoneyField("贷款本金")
    term_months = models.PositiveSmallIntegerField("期限（月）")
    original_maturity = models.DateField("原到期日")
    maturity = models.DateField("到期日")
    extended_months = models.PositiveSmallIntegerField("展期月数", default=0)
    lpr_term = models.CharField("参考 LPR 期限", max_length=2, default="1y")
    lpr_rate = models.DecimalField("合同签订日 LPR", max_digits=9, decimal_places=6)
    lpr_source = models.CharField("LPR 来源", max_length=200, blank=True)
    spread = models.DecimalField("加点（可为负）", max_digits=9, decimal_places=6)
    annual_rate = models.DecimalField("执行年利率", max_digits=9, decimal_places=6)
    method = models.CharField("还款方式", max_length=20, choices=list(METHODS.items()))
    basis = models.PositiveSmallIntegerField("计息年天数", default=360)
    frequency = models.CharField("结息周期", max_length=10, choices=[(k, k) for k in FREQUENCIES])
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.ACTIVE, db_index=True)
    next_unpaid_due = models.DateField("最早未还清应还日", null=True, blank=True, db_index=True)
    closed_on = models.DateField("结清/代偿日", null=True, blank=True)
    is_small_micro = models.BooleanField("小微企业贷款", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "创业担保贷款"
        ordering: ClassVar[list[str]] = ["-disbursed_on", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["bank", "contract_number"], name="loan_contract_unique_per_bank"),
            models.CheckConstraint(condition=Q(principal__gt=0), name="loan_principal_positive"),
            models.CheckConstraint(condition=Q(annual_rate__gte=0), name="loan_rate_not_negative"),
            models.CheckConstraint(condition=Q(basis__in=[360, 365]), name="loan_basis_360_or_365"),
            models.CheckConstraint(condition=Q(disbursed_on__gte=F("contract_date")), name="loan_disbursed_after"),
            models.CheckConstraint(condition=Q(maturity__gte=F("original_maturity")), name="loan_maturity_order"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["bank", "state"], name="loan_bank_state_idx"),
            models.Index(fields=["fund", "state"], name="loan_fund_state_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class ScheduleRow(models.Model):
    """One instalment: the period, its interest on the opening balance, and what has been paid against it."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="schedule")
    number = models.PositiveSmallIntegerField("期次")
    period_start = models.DateField("起息日")
    due = models.DateField("应还日")
    days = models.PositiveSmallIntegerField("计息天数")
    opening_balance = MoneyField("期初本金")
    principal = MoneyField("应还本金")
    interest = MoneyField("应还利息")
    in_extension = models.BooleanField("展期期间", default=False)
    interest_accrued = models.BooleanField("利息已入账", default=False)
    paid_principal = MoneyField("已还本金", default=0)
    paid_interest = MoneyField("已还利息", default=0)
    principal_settled_on = models.DateField("本金还清日", null=True, blank=True)
    interest_settled_on = models.DateField("利息还清日", null=True, blank=True, db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["loan", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["loan", "number"], name="schedule_row_number_unique"),
            models.CheckConstraint(
                condition=Q(principal__gte=0) & Q(interest__gte=0) & Q(opening_balance__gte=0),
                name="schedule_row_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(paid_principal__gte=0) & Q(paid_principal__lte=F("principal")),
                name="schedule_row_principal_paid_within_due",
            ),
            models.CheckConstraint(
                condition=Q(paid_interest__gte=0) & Q(paid_interest__lte=F("interest")),
                name="schedule_row_interest_paid_within_due",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["loan", "due"], name="schedule_loan_due_idx")]

    def __str__(self) -> str:
        return f"{self.loan_id} 第{self.number}期"

    @property
    def unpaid_principal(self) -> Decimal:
        unpaid: Decimal = self.principal - self.paid_principal
        return unpaid

    @property
    def unpaid_interest(self) -> Decimal:
        unpaid: Decimal = self.interest - self.paid_interest
        return unpaid


class Repayment(models.Model):
    """A repayment the bank reports: principal and interest received from the borrower on a day."""

    class Source(models.TextChoices):
        API = "api", "接口报送"
        WEB = "web", "网页录入"
        EXCEL = "excel", "Excel 导入"

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    bank = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    paid_on = models.DateField("还款日")
    principal = MoneyField("归还本金")
    interest = MoneyField("归还利息")
    source = models.CharField("来源", max_length=8, choices=Source.choices)
    idempotency_key = models.CharField("幂等键", max_length=80, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "还款记录"
        ordering: ClassVar[list[str]] = ["paid_on", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # The database, not only the API layer, refuses a second repayment under the same key.
            models.UniqueConstraint(
                fields=["bank", "idempotency_key"], condition=~Q(idempotency_key=""), name="repayment_key_per_bank"
            ),
            models.CheckConstraint(
                condition=Q(principal__gte=0) & Q(interest__gte=0) & (Q(principal__gt=0) | Q(interest__gt=0)),
                name="repayment_amounts_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan} {self.paid_on} {self.principal}+{self.interest}"


class LoanExtension(models.Model):
    """展期: the payload of an extension case. Approved once per loan at most."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="loan_extension")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="extensions")
    months = models.PositiveSmallIntegerField("展期月数")
    reason = models.CharField("展期理由", max_length=500)
    approved = models.BooleanField("已批准", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "贷款展期"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["loan"], condition=Q(approved=True), name="loan_extended_once"),
            models.CheckConstraint(condition=Q(months__gte=1), name="loan_extension_months_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.loan} 展期{self.months}个月"


class IdempotencyRecord(models.Model):
    """A partner's money request, by its ``Idempotency-Key``: the same key replays the stored response; the same
    key with a different body is refused. The unique key makes concurrent duplicates wait and then replay."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    operation = models.CharField(max_length=40)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["organisation", "key"], name="idempotency_key_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.key}"
