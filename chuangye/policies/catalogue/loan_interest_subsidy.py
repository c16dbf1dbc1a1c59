"""创业担保贷款贴息 for one interest period of ``days`` days.

The regime follows the contract date: from 2023-10-01 the state pays half the actual rate; from 2021-01-01 it
pays the part of the rate above LPR − 1.50 % (never below zero); earlier contracts are outside this catalogue.
Only the principal up to the ceiling in force on the contract date earns a subsidy — the enterprise ceiling when
the borrower is a small or micro enterprise (``is_small_micro``), else the individual one. No subsidy while the
loan is extended (展期) or overdue.
"""

from fractions import Fraction
from typing import Any

from chuangye.policies.catalogue.common import LOAN_BASIS, PLAN_5
from chuangye.policies.expr import Const, If, Largest, ParamOn, Present, Smallest, fact, param
from chuangye.policies.policy import Criterion, Policy

CONTRACT = fact("contract_date")
METHOD = ParamOn("loan.interest_subsidy.method", CONTRACT)
METHOD_NAMES = {
    "half_rate": "按实际利率的50%贴息（财金〔2023〕75号）",
    "lpr_spread": "借款人承担 LPR−150 个基点以内利息，其余贴息（财金〔2020〕21号）",
}

CEILING_ON_CONTRACT = If(
    fact("is_small_micro"),
    ParamOn("loan.enterprise.ceiling", CONTRACT),
    ParamOn("loan.individual.ceiling", CONTRACT),
)
COUNTED_PRINCIPAL = Smallest(fact("principal"), CEILING_ON_CONTRACT)
DAY_BASIS = param("loan.interest_subsidy.day_basis")

# The subsidised annual rate, by the regime of the contract date; the amount is then one product.
HALF_OF_RATE = fact("annual_rate") * ParamOn("loan.interest_subsidy.share", CONTRACT)
BORROWER_RATE = ParamOn("lpr.1y", CONTRACT) - ParamOn("loan.interest_subsidy.lpr_spread", CONTRACT)
ABOVE_BORROWER_RATE = Largest(fact("annual_rate") - BORROWER_RATE, Const(Fraction(0), "num"))
SUBSIDISED_RATE = If(
    METHOD.equals("half_rate"),
    HALF_OF_RATE,
    If(METHOD.equals("lpr_spread"), ABOVE_BORROWER_RATE, Const(None, "num")),
)
AMOUNT = COUNTED_PRINCIPAL * SUBSIDISED_RATE * fact("days") / DAY_BASIS


def method_name(env: Any) -> str:
    day = env.values["contract_date"]
    entry = None if day is None else env.snapshot.entry_on("loan.interest_subsidy.method", day)
    return METHOD_NAMES.get(entry.value, entry.value) if entry else ""


def first_covered(env: Any) -> str:
    entries = env.snapshot.series["loan.interest_subsidy.method"].entries
    return entries[0].start.isoformat() if entries else "（无）"


CONTRACT_COVERED = Criterion(
    code="contract_covered",
    label="贷款合同签订日适用本目录贴息政策",
    test=Present(METHOD),
    passed="合同签订日 {date}，{method}",
    failed="合同签订日 {date} 早于 {first}，不适用本目录贴息政策",
    show={"date": CONTRACT, "method": method_name, "first": first_covered},
)

NOT_EXTENDED = Criterion(
    code="not_extended",
    label="贷款未展期",
    test=~fact("extended"),
    passed="贷款未展期",
    failed="贷款已展期，展期期间不予贴息",
)

NOT_OVERDUE = Criterion(
    code="not_overdue",
    label="贷款未逾期",
    test=~fact("overdue"),
    passed="贷款未逾期",
    failed="贷款已逾期，逾期期间不予贴息",
)

POLICY = Policy(
    code="loan.interest_subsidy",
    title="创业担保贷款财政贴息（一个计息期）",
    plan=PLAN_5[0],
    plan_title=PLAN_5[1],
    legal_basis=LOAN_BASIS,
    criteria=(CONTRACT_COVERED, NOT_EXTENDED, NOT_OVERDUE),
    amount=AMOUNT,
    amount_label="本期贴息金额",
    required_facts=("contract_date", "principal", "annual_rate", "days"),
    notes=(
        "贴息本金以合同签订日适用的额度上限为限（小微企业按企业额度，其他按个人额度）；"
        "日利率 = 年利率 ÷ 360；结果四舍五入到分。"
    ),
)
