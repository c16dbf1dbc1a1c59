"""The loans app's models, one module per responsibility (applications, loans, ledger, claims)."""

from chuangye.loans.models.application import GuaranteeFund, LoanApplication, LoanKind, LoanParameterOverride
from chuangye.loans.models.claims import (
    CompensationClaim,
    Recovery,
    SubsidyBatch,
    SubsidyClaim,
    SubsidyLine,
    WriteOff,
)
from chuangye.loans.models.ledger import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction
from chuangye.loans.models.loan import IdempotencyRecord, Loan, LoanExtension, Repayment, ScheduleRow

__all__ = [
    "AccountKind",
    "CompensationClaim",
    "GuaranteeFund",
    "IdempotencyRecord",
    "LedgerAccount",
    "LedgerEntry",
    "LedgerTransaction",
    "Loan",
    "LoanApplication",
    "LoanExtension",
    "LoanKind",
    "LoanParameterOverride",
    "Recovery",
    "Repayment",
    "ScheduleRow",
    "SubsidyBatch",
    "SubsidyClaim",
    "SubsidyLine",
    "WriteOff",
]
