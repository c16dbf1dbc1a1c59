"""免除反担保: an eligible individual borrower whose loan is small or who holds one of four recognitions."""

from chuangye.policies.catalogue.common import INDIVIDUAL_AMOUNT, INDIVIDUAL_CRITERIA, LOAN_BASIS, PLAN_5
from chuangye.policies.expr import any_of, fact, param
from chuangye.policies.policy import Criterion, Policy

WAIVER_GROUND = Criterion(
    code="waiver_ground",
    label="贷款金额不超过规定额度或具备免除反担保情形",
    test=any_of(
        INDIVIDUAL_AMOUNT <= param("loan.counter_guarantee_waiver.max_amount"),  # noqa: SIM300 - a rule
        fact("honour_city_level"),
        fact("recommended_by_demonstration_incubator"),
        fact("bank_rated_creditworthy"),
        fact("second_time_founder_good_record"),
    ),
    passed="贷款金额 {amount} 元（上限 {max} 元），或具备荣誉、示范载体推荐、银行信用评定、诚信二次创业之一",
    failed="贷款金额 {amount} 元超过 {max} 元，且不具备荣誉、示范载体推荐、银行信用评定、诚信二次创业情形",
    show={"amount": INDIVIDUAL_AMOUNT, "max": param("loan.counter_guarantee_waiver.max_amount")},
)

POLICY = Policy(
    code="loan.counter_guarantee_waiver",
    title="创业担保贷款免除反担保",
    plan=PLAN_5[0],
    plan_title=PLAN_5[1],
    legal_basis=LOAN_BASIS,
    criteria=(*INDIVIDUAL_CRITERIA, WAIVER_GROUND),
    amount=None,
    notes="不涉及金额。贷款金额按个人创业担保贷款计算（未提供申请金额时为额度上限）。",
)
