"""灵活就业社会保险补贴: up to 2/3 of the contribution actually paid, for flexibly employed people with
employment difficulty (36 months, or until retirement when first approved within 5 years of it) and unemployed
graduates within 2 years of leaving school (24 months)."""

from typing import Any

from chuangye.policies.expr import Coalesce, RetirementDate, add_months, all_of, any_of, fact, has_any, param, today
from chuangye.policies.policy import Criterion, Policy
from chuangye.policies.pyeval import compile_py

RETIREMENT = RetirementDate(fact("birth_date"), fact("sex"))
# The first approval is this decision when none has been recorded yet.
FIRST_APPROVAL = Coalesce(fact("first_si_subsidy_date"), today())
MONTHS = fact("si_subsidy_months_received")
NEAR_RETIREMENT_FROM = add_months(RETIREMENT, param("subsidy.social_insurance.near_retirement_months") * -1)

DIFFICULTY = all_of(
    has_any("key_groups", ["employment_difficulty"]),
    any_of(
        MONTHS <= param("subsidy.social_insurance.difficulty_max_months"),  # noqa: SIM300 - a rule, not Yoda
        all_of(FIRST_APPROVAL >= NEAR_RETIREMENT_FROM, today() < RETIREMENT),
    ),
)
GRADUATE = all_of(
    has_any("key_groups", ["graduate"]),
    ~fact("employed"),
    today() <= add_months(fact("graduation_date"), param("subsidy.social_insurance.graduate_window_months")),
    MONTHS <= param("subsidy.social_insurance.graduate_max_months"),  # noqa: SIM300 - a rule, not Yoda
)


def which(env: Any) -> str:
    found = []
    if compile_py(DIFFICULTY)(env) is True:
        found.append("就业困难人员，在享受期限内")
    if compile_py(GRADUATE)(env) is True:
        found.append("离校期限内未就业的高校毕业生，在享受期限内")
    return "；".join(found)


FLEXIBLE = Criterion(
    code="flexible_registered",
    label="已办理灵活就业登记",
    test=fact("flexible_employment_registered"),
    passed="已办理灵活就业登记",
    failed="未办理灵活就业登记",
)

PAID = Criterion(
    code="contribution_paid",
    label="已实际缴纳社会保险费",
    test=fact("si_contribution_paid") > 0,
    passed="已缴纳社会保险费 {paid} 元",
    failed="未缴纳社会保险费",
    show={"paid": fact("si_contribution_paid")},
)

PERSON = Criterion(
    code="eligible_person",
    label="属于补贴对象且在享受期限内",
    test=any_of(DIFFICULTY, GRADUATE),
    passed="{which}（已享受 {months} 个月）",
    failed=(
        "不属于享受期限内的补贴对象：就业困难人员最长 {difficulty_max} 个月（首次核定时距法定退休年龄不足"
        " {near} 个月的可延长至退休），离校 {window} 个月内未就业的高校毕业生最长 {graduate_max} 个月；"
        "已享受 {months} 个月"
    ),
    show={
        "which": which,
        "months": MONTHS,
        "difficulty_max": param("subsidy.social_insurance.difficulty_max_months"),
        "near": param("subsidy.social_insurance.near_retirement_months"),
        "window": param("subsidy.social_insurance.graduate_window_months"),
        "graduate_max": param("subsidy.social_insurance.graduate_max_months"),
    },
)

POLICY = Policy(
    code="subsidy.social_insurance",
    title="灵活就业人员社会保险补贴",
    plan=8,
    plan_title="灵活就业支持",
    legal_basis=("财社〔2017〕164号", "人社部发〔2022〕81号"),
    criteria=(FLEXIBLE, PAID, PERSON),
    amount=fact("si_contribution_paid") * param("subsidy.social_insurance.share"),
    amount_label="补贴金额",
    notes=(
        "补贴为实际缴费的2/3，四舍五入到分。已享受月数含本期。女性未提供岗位类别时按女职工退休年龄计算；"
        "首次核定日期未提供时以本次决定日期为首次核定。"
    ),
)
