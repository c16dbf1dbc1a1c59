"""Criteria and formulas shared by the loan policies, so each rule is written once."""

from typing import Any

from chuangye.policies.expr import (
    Coalesce,
    Expr,
    RetirementDate,
    Smallest,
    add_months,
    all_of,
    fact,
    has_any,
    param,
    today,
)
from chuangye.policies.facts import KEY_GROUPS
from chuangye.policies.policy import Criterion

LOAN_BASIS = ("财金〔2016〕85号", "财金〔2018〕22号", "财金〔2020〕21号", "财金〔2023〕75号", "人社部发〔2022〕81号")
PLAN_5 = (5, "创业政策扶持")


def key_group_names(env: Any) -> str:
    groups = env.values["key_groups"] or ()
    return "、".join(label for code, label in KEY_GROUPS.items() if code in groups)


def retirement_note(env: Any) -> str:
    # No fact records a woman's post, so the earlier (worker) age applies; the person can ask for a review.
    if env.values["sex"] == "F":
        return "（未提供岗位类别，按女职工退休年龄计算；女干部请另行核定）"
    return ""


def retirement_of_person() -> Expr:
    return RetirementDate(fact("birth_date"), fact("sex"))


def adult_on() -> Expr:
    return add_months(fact("birth_date"), param("loan.min_age") * 12)


KEY_GROUP = Criterion(
    code="key_group",
    label="属于创业担保贷款扶持的重点群体",
    test=has_any("key_groups", KEY_GROUPS),
    passed="属于{groups}",
    failed="不属于创业担保贷款扶持的十一类重点群体",
    show={"groups": key_group_names},
)

ADULT = Criterion(
    code="adult",
    label="达到申请年龄下限",
    test=adult_on() <= today(),
    passed="{adult_on} 年满{min_age}周岁",
    failed="未满{min_age}周岁（{adult_on} 年满）",
    show={"adult_on": adult_on(), "min_age": param("loan.min_age")},
)

BEFORE_RETIREMENT = Criterion(
    code="before_retirement",
    label="未达到法定退休年龄",
    test=today() < retirement_of_person(),
    passed="法定退休日期为 {retire}，决定日期在此之前{note}",
    failed="已于 {retire} 达到法定退休年龄{note}",
    show={"retire": retirement_of_person(), "note": retirement_note},
)

LOAN_COUNT = Criterion(
    code="loan_count",
    label="累计获得创业担保贷款不超过规定次数",
    test=fact("prior_guaranteed_loans") + 1 <= param("loan.max_total_loans"),
    passed="此前已获 {prior} 次，本次为第 {next} 次，未超过累计 {max} 次",
    failed="此前已获 {prior} 次，再贷款将超过累计 {max} 次的上限",
    show={
        "prior": fact("prior_guaranteed_loans"),
        "next": fact("prior_guaranteed_loans") + 1,
        "max": param("loan.max_total_loans"),
    },
)

NO_OVERDUE = Criterion(
    code="no_overdue",
    label="无逾期未还的创业担保贷款",
    test=~fact("has_overdue_guaranteed_loan"),
    passed="无逾期未还的创业担保贷款",
    failed="有逾期未还的创业担保贷款",
)

NO_DISALLOWED_DEBT = Criterion(
    code="no_disallowed_debt",
    label="本人及配偶无规定以外的其他贷款",
    test=~fact("has_disallowed_debt"),
    passed="除助学、扶贫、住房、车辆贷款和5万元以下消费贷款外，无其他贷款",
    failed="本人或配偶有助学、扶贫、住房、车辆贷款和5万元以下消费贷款以外的其他贷款",
)

INDIVIDUAL_CRITERIA = (KEY_GROUP, ADULT, BEFORE_RETIREMENT, LOAN_COUNT, NO_OVERDUE, NO_DISALLOWED_DEBT)
INDIVIDUALLY_ELIGIBLE = all_of(*(c.test for c in INDIVIDUAL_CRITERIA))


def capped_request(ceiling: Expr) -> Expr:
    """The requested amount up to ``ceiling``; the ceiling itself when no amount was requested."""
    return Coalesce(Smallest(fact("requested_amount"), ceiling), ceiling)


INDIVIDUAL_AMOUNT = capped_request(param("loan.individual.ceiling"))
