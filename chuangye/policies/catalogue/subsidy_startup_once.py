"""一次性创业补贴: first-time founders in the covered groups whose business has run at least 12 full months.
The amount has no national figure: it is null, with the reason, until the region sets it."""

from typing import Any

from chuangye.policies.expr import add_months, all_of, any_of, fact, has_any, param, today
from chuangye.policies.policy import Criterion, Policy
from chuangye.policies.pyeval import compile_py

GRADUATION = fact("graduation_date")
STARTED = fact("business_started_on")
WINDOW = param("subsidy.startup_once.graduate_window_months")
MIN_MONTHS = param("subsidy.startup_once.min_operating_months")

GRADUATE_IN_WINDOW = all_of(
    has_any("key_groups", ["graduate"]),
    GRADUATION <= STARTED,
    STARTED <= add_months(GRADUATION, WINDOW),  # noqa: SIM300 - a rule, not Yoda
)
DIFFICULTY = has_any("key_groups", ["employment_difficulty"])
RETURNING = has_any("key_groups", ["returning_migrant"])
BRANCHES = (
    (GRADUATE_IN_WINDOW, "离校后规定期限内创业的高校毕业生"),
    (DIFFICULTY, "就业困难人员"),
    (RETURNING, "返乡创业农民工"),
)


def who(env: Any) -> str:
    return "、".join(text for test, text in BRANCHES if compile_py(test)(env) is True)


ELIGIBLE_GROUP = Criterion(
    code="eligible_group",
    label="属于一次性创业补贴对象",
    test=any_of(GRADUATE_IN_WINDOW, DIFFICULTY, RETURNING),
    passed="属于{who}",
    failed="不属于毕业后{window}个月内创业的高校毕业生、就业困难人员或返乡创业农民工",
    show={"who": who, "window": WINDOW},
)

FIRST_BUSINESS = Criterion(
    code="first_business",
    label="首次创业",
    test=fact("first_business"),
    passed="首次创办小微企业或从事个体经营",
    failed="并非首次创业",
)

OPERATING = Criterion(
    code="operating_months",
    label="正常经营满规定月数",
    test=add_months(STARTED, MIN_MONTHS) <= today(),
    passed="{started} 起经营，{full} 满{months}个月",
    failed="{started} 起经营，至 {full} 方满{months}个月",
    show={"started": STARTED, "full": add_months(STARTED, MIN_MONTHS), "months": MIN_MONTHS},
)

POLICY = Policy(
    code="subsidy.startup_once",
    title="一次性创业补贴",
    plan=5,
    plan_title="创业政策扶持",
    legal_basis=("国发〔2017〕28号", "财社〔2017〕164号", "人社部发〔2022〕81号"),
    criteria=(ELIGIBLE_GROUP, FIRST_BUSINESS, OPERATING),
    amount=param("subsidy.startup_once.amount"),
    amount_label="补贴金额",
    notes="补贴标准由地方确定；本地区未设定时金额为空。",
)
