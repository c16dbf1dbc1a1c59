"""个人创业担保贷款: who may borrow, and how much (the request up to the individual ceiling)."""

from chuangye.policies.catalogue.common import INDIVIDUAL_AMOUNT, INDIVIDUAL_CRITERIA, LOAN_BASIS, PLAN_5
from chuangye.policies.policy import Policy

POLICY = Policy(
    code="loan.individual",
    title="个人创业担保贷款",
    plan=PLAN_5[0],
    plan_title=PLAN_5[1],
    legal_basis=LOAN_BASIS,
    criteria=INDIVIDUAL_CRITERIA,
    amount=INDIVIDUAL_AMOUNT,
    amount_label="可贷额度",
    notes="未提供申请金额时，金额为额度上限。贷款不设毕业年限限制。",
)
