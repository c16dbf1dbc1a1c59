"""小微企业创业担保贷款: new key-group hires at the required share of headcount, no arrears, loan history."""

from chuangye.policies.catalogue.common import LOAN_BASIS, LOAN_COUNT, NO_OVERDUE, PLAN_5, capped_request
from chuangye.policies.expr import If, fact, param
from chuangye.policies.policy import Criterion, Policy

REQUIRED_PERCENT = If(
    fact("headcount") > param("loan.enterprise.large_headcount"),
    param("loan.enterprise.hire_ratio_percent_large"),
    param("loan.enterprise.hire_ratio_percent"),
)

SMALL_MICRO = Criterion(
    code="small_micro",
    label="属于小微企业",
    test=fact("is_small_micro"),
    passed="属于小微企业",
    failed="不属于小微企业",
)

HIRING = Criterion(
    code="key_group_hiring",
    label="近12个月新招用重点群体人数达到规定比例",
    test=fact("new_key_group_hires_12m") * 100 >= REQUIRED_PERCENT * fact("headcount"),
    passed="新招用 {hires} 人，职工 {headcount} 人，达到 {percent}% 的要求",
    failed="新招用 {hires} 人，职工 {headcount} 人，未达到 {percent}% 的要求",
    show={
        "hires": fact("new_key_group_hires_12m"),
        "headcount": fact("headcount"),
        "percent": REQUIRED_PERCENT,
    },
)

NO_ARREARS = Criterion(
    code="no_arrears",
    label="无拖欠职工工资、欠缴社会保险费",
    test=~fact("has_wage_or_si_arrears"),
    passed="无拖欠职工工资、欠缴社会保险费",
    failed="有拖欠职工工资或欠缴社会保险费",
)

POLICY = Policy(
    code="loan.enterprise",
    title="小微企业创业担保贷款",
    plan=PLAN_5[0],
    plan_title=PLAN_5[1],
    legal_basis=LOAN_BASIS,
    criteria=(SMALL_MICRO, HIRING, NO_ARREARS, LOAN_COUNT, NO_OVERDUE),
    amount=capped_request(param("loan.enterprise.ceiling")),
    amount_label="可贷额度",
    notes="比例按“新招用人数 × 100 ≥ 比例 × 职工人数”判断（含等于）。",
)
