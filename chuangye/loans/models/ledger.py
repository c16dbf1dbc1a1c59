"""The programme's double-entry ledger: accounts, transactions, and entries that sum to zero in every transaction.

An entry's ``amount`` is signed, debit positive and credit negative. An account's ``balance`` is kept on its normal
side (``normal`` = +1 for debit-normal assets and expenses, −1 for credit-normal capital, income and liabilities), so
"never negative" is one check constraint for every account except the two external ones (a bank's own money, the
treasury), which stand for the world outside the programme.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from chuangye.core.money import MoneyField


class AccountKind(models.TextChoices):
    LOAN_PRINCIPAL = "loan_principal", "贷款本金（应收）"
    LOAN_INTEREST = "loan_interest", "贷款利息（应收）"
    LOAN_RECOVERY = "loan_recovery", "代偿款（待追偿）"
    BANK_CASH = "bank_cash", "经办银行资金（外部）"
    BANK_INCOME = "bank_income", "经办银行利息收入"
    BANK_LOSS = "bank_loss", "经办银行承担损失"
    FUND_CASH = "fund_cash", "担保基金余额"
    FUND_CAPITAL = "fund_capital", "担保基金注资"
    FUND_LOSS = "fund_loss", "担保基金代偿损失（核销）"
    SUBSIDY_EXPENSE = "subsidy_expense", "财政贴息支出"
    SUBSIDY_PAYABLE = "subsidy_payable", "应付贴息"
    TREASURY = "treasury", "财政专户（外部）"


# Which side each kind is normally on, and which kinds stand for the outside world and may go negative.
NORMAL_SIDE = {
    AccountKind.LOAN_PRINCIPAL: 1,
    AccountKind.LOAN_INTEREST: 1,
    AccountKind.LOAN_RECOVERY: 1,
    AccountKind.BANK_CASH: 1,
    AccountKind.BANK_INCOME: -1,
    AccountKind.BANK_LOSS: 1,
    AccountKind.FUND_CASH: 1,
    AccountKind.FUND_CAPITAL: -1,
    AccountKind.FUND_LOSS: 1,
    AccountKind.SUBSIDY_EXPENSE: 1,
    AccountKind.SUBSIDY_PAYABLE: -1,
    AccountKind.TREASURY: -1,
}
EXTERNAL = frozenset({AccountKind.BANK_CASH, AccountKind.TREASURY})


class LedgerAccount(models.Model):
    key = models.CharField(max_length=60, unique=True)  # e.g. "loan_principal:loan:12"; one account per key
    kind = models.CharField("科目", max_length=20, choices=AccountKind.choices)
    loan = models.ForeignKey("loans.Loan", null=True, blank=True, on_delete=models.PROTECT, related_name="accounts")
    fund = models.ForeignKey(
        "loans.GuaranteeFund", null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    bank = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=6, blank=True)
    normal = models.SmallIntegerField()
    external = models.BooleanField(default=False)
    balance = MoneyField("余额", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "账户"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(external=True) | Q(balance__gte=0), name="ledger_balance_not_negative"),
            models.CheckConstraint(condition=Q(normal__in=[1, -1]), name="ledger_normal_side"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["kind", "loan"], name="ledger_kind_loan_idx"),
        ]

    def __str__(self) -> str:
        return self.key


class LedgerTransaction(models.Model):
    class Kind(models.TextChoices):
        DEPOSIT = "deposit", "基金注资"
        DISBURSEMENT = "disbursement", "放款"
        ACCRUAL = "accrual", "利息入账"
        REPAYMENT = "repayment", "还款"
        COMPENSATION = "compensation", "代偿"
        RECOVERY = "recovery", "追偿回收"
        WRITE_OFF = "write_off", "核销"
        SUBSIDY_APPROVAL = "subsidy_approval", "贴息核定"
        SUBSIDY_PAYMENT = "subsidy_payment", "贴息拨付"

    kind = models.CharField("业务", max_length=20, choices=Kind.choices)
    occurred_on = models.DateField("业务日期")
    loan = models.ForeignKey("loans.Loan", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    fund = models.ForeignKey("loans.GuaranteeFund", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    memo = models.CharField("摘要", max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "记账凭证"
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class LedgerEntry(models.Model):
    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount = MoneyField("金额（借正贷负）")

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount}"
