"""The seven rules of the catalogue written as an OpenFisca-Core model, for the benchmark only.

Parameters are read from the same YAML files (plus the same regional figures), converted to OpenFisca's format:
money in 分, rates in millionths and fractions as numerator/denominator, so that every formula is integer
arithmetic and the results can be compared with ours exactly. Per-row look-ups at the loan contract date (ceiling,
LPR, regime) use the parameter's full history with ``numpy.searchsorted``: OpenFisca evaluates parameters at the
period's instant only. ``loan.partnership`` is not modelled (it needs a group entity of partners).
"""

import datetime as dt
import functools
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

from bench.population import COURSE_CODES, DATE_FACTS
from chuangye.core.retirement import RULES, category_for
from chuangye.policies.facts import KEY_GROUPS
from chuangye.policies.params import national_parameters

Person = build_entity(key="person", plural="persons", label="个人", is_person=True)
GROUP_BIT = {code: 1 << i for i, code in enumerate(KEY_GROUPS)}
ALL_GROUPS = sum(GROUP_BIT.values())
METHODS = {"lpr_spread": 1, "half_rate": 2}
OUTPUTS = {
    "loan.individual": ("loan_individual_eligible", "loan_individual_amount"),
    "loan.enterprise": ("loan_enterprise_eligible", "loan_enterprise_amount"),
    "loan.counter_guarantee_waiver": ("waiver_eligible", None),
    "loan.interest_subsidy": ("interest_subsidy_eligible", "interest_subsidy_amount"),
    "subsidy.startup_once": ("startup_once_eligible", "startup_once_amount"),
    "subsidy.social_insurance": ("social_insurance_eligible", "social_insurance_amount"),
    "subsidy.training": ("training_eligible", "training_amount"),
}


# --- parameters -------------------------------------------------------------------------------------------


def _leaf(spec_type: str, value: Any) -> dict[str, Any]:
    if spec_type == "money":
        return {"": int(value * 100)}
    if spec_type == "rate":
        return {"": int(value * 1_000_000)}
    if spec_type == "fraction":
        return {"_num": Fraction(value).numerator, "_den": Fraction(value).denominator}
    if spec_type == "text":
        return {"": METHODS[value]}
    if spec_type == "courses":
        return {"": sum(1 << COURSE_CODES.index(c) for c in value)}
    return {"": int(value)}


def parameter_tree(regional: dict[str, Fraction], regional_from: dt.date) -> dict[str, Any]:
    """Our national parameters (and the benchmark's regional figures) as an OpenFisca parameter dict."""
    tree: dict[str, Any] = {}
    for name, (spec, entries) in national_parameters().items():
        dated = [(e.start, e.value) for e in entries]
        if name in regional:
            dated.append((regional_from, regional[name]))
        if not dated:
            continue
        path = name.replace("lpr.1y", "lpr.one_year").replace("lpr.5y", "lpr.five_year").split(".")
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
        for start, value in dated:
            for suffix, number in _leaf(spec.type, value).items():
                values = node.setdefault(path[-1] + suffix, {"values": {}})["values"]
                values[start.isoformat()] = {"value": number}
    return tree


def history(node: ParameterNode, path: str) -> tuple[np.ndarray, np.ndarray]:
    """A parameter's full history as (start dates, values), oldest first, for per-row look-ups."""
    parameter: Any = node
    for part in path.split("."):
        parameter = parameter.children[part]
    starts = [np.datetime64(v.instant_str, "D") for v in reversed(parameter.values_list)]
    values = [v.value for v in reversed(parameter.values_list)]
    return np.array(starts, dtype="datetime64[D]"), np.array(values, dtype=np.int64)


def value_on(node: ParameterNode, path: str, days: np.ndarray) -> np.ndarray:
    """The parameter in force on each day (-1 where none is), from a table over the calendar."""
    return _value_table(node, path)[(days - _FIRST_DAY).astype(np.int64)]


_VALUE_TABLES: dict[tuple[int, str], np.ndarray] = {}


def _value_table(node: ParameterNode, path: str) -> np.ndarray:
    key = (id(node), path)
    if key not in _VALUE_TABLES:
        starts, values = history(node, path)
        index = np.searchsorted(starts, _DAYS, side="right") - 1
        _VALUE_TABLES[key] = np.where(index >= 0, values[np.clip(index, 0, None)], -1)
    return _VALUE_TABLES[key]


# --- calendar rules -----------------------------------------------------------------------------------------


def add_months(days: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """core.dates.add_months over arrays: the same day ``months`` later, clamped to the month's end."""
    month_start = days.astype("datetime64[M]")
    day = (days - month_start.astype("datetime64[D]")).astype(np.int64)
    target = month_start + np.asarray(months, dtype=np.int64)
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return target.astype("datetime64[D]") + np.minimum(day, length - 1)


def retirement(birth: np.ndarray, is_male: bool) -> np.ndarray:
    rule = RULES[category_for("M" if is_male else "F")]
    months = birth.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    first = (rule.first_affected[0] - 1970) * 12 + rule.first_affected[1] - 1
    delay = np.clip((months - first) // rule.months_per_step + 1, 0, rule.max_delay_months)
    return add_months(birth, rule.base_years * 12 + delay)


# Month arithmetic on datetime64 is slow per element, so, as a careful OpenFisca modeller would, the date rules are
# tabulated once over every day from 1900 to 2100 and looked up by index (the same idea our engine uses).
_FIRST_DAY = np.datetime64("1900-01-01", "D")
_DAYS = np.arange(_FIRST_DAY, np.datetime64("2101-01-01", "D"))


@functools.cache
def _months_table(months: int) -> np.ndarray:
    return add_months(_DAYS, months)


@functools.cache
def _retirement_table(is_male: bool, months_after: int) -> np.ndarray:
    return add_months(retirement(_DAYS, is_male), months_after)


def shifted(days: np.ndarray, months: int) -> np.ndarray:
    return _months_table(months)[(days - _FIRST_DAY).astype(np.int64)]


def retirement_of(birth: np.ndarray, is_male: np.ndarray, months_after: int = 0) -> np.ndarray:
    index = (birth - _FIRST_DAY).astype(np.int64)
    return np.where(
        is_male, _retirement_table(True, months_after)[index], _retirement_table(False, months_after)[index]
    )


# --- variables ------------------------------------------------------------------------------------------------


def _variable(name: str, value_type: type, formula: Callable[..., Any] | None = None) -> type[Variable]:
    body: dict[str, Any] = {"value_type": value_type, "entity": Person, "definition_period": DateUnit.DAY}
    body["label"] = name
    if formula is not None:
        body["formula"] = formula
    return type(name, (Variable,), body)


INPUTS: dict[str, type] = dict.fromkeys(DATE_FACTS, dt.date)
INPUTS |= dict.fromkeys(("key_groups", "prior_guaranteed_loans", "requested_amount", "course"), int)
INPUTS |= dict.fromkeys(("previously_subsidised_courses", "si_contribution_paid", "days"), int)
INPUTS |= dict.fromkeys(("si_subsidy_months_received", "headcount", "new_key_group_hires_12m"), int)
INPUTS |= dict.fromkeys(("principal", "annual_rate"), int)
BOOL_INPUTS = (
    "is_male",
    "employed",
    "flexible_employment_registered",
    "has_overdue_guaranteed_loan",
    "has_disallowed_debt",
    "honour_city_level",
    "recommended_by_demonstration_incubator",
    "bank_rated_creditworthy",
    "second_time_founder_good_record",
    "first_business",
    "has_training_certificate",
    "is_small_micro",
    "has_wage_or_si_arrears",
    "extended",
    "overdue",
)
INPUTS |= dict.fromkeys(BOOL_INPUTS, bool)


def build_system() -> TaxBenefitSystem:
    """The OpenFisca tax-benefit system with the seven rules (parameters attached by ``attach_parameters``)."""
    system = TaxBenefitSystem([Person])
    for name, value_type in INPUTS.items():
        system.add_variable(_variable(name, value_type))
    for name, value_type, formula in FORMULAS:
        system.add_variable(_variable(name, value_type, formula))
    return system


def attach_parameters(system: TaxBenefitSystem, regional: dict[str, Fraction], regional_from: dt.date) -> None:
    system.parameters = ParameterNode("", data=parameter_tree(regional, regional_from))
    _SYSTEM_PARAMETERS[:] = [system.parameters]


def _on(period: Any) -> np.datetime64:
    return np.datetime64(str(period.start), "D")


def _individual(person: Any, period: Any, parameters: Any) -> Any:
    p = parameters(period).loan
    on = _on(period)
    birth = person("birth_date", period)
    groups = person("key_groups", period)
    adult = shifted(birth, int(p.min_age) * 12) <= on
    working = on < retirement_of(birth, person("is_male", period))
    count_ok = person("prior_guaranteed_loans", period) + 1 <= p.max_total_loans
    clean = ~person("has_overdue_guaranteed_loan", period) & ~person("has_disallowed_debt", period)
    return ((groups & ALL_GROUPS) != 0) & adult & working & count_ok & clean


def _individual_amount(person: Any, period: Any, parameters: Any) -> Any:
    ceiling = parameters(period).loan.individual.ceiling
    amount = np.minimum(person("requested_amount", period), ceiling)
    return np.where(person("loan_individual_eligible", period), amount, 0)


def _waiver(person: Any, period: Any, parameters: Any) -> Any:
    p = parameters(period).loan
    amount = np.minimum(person("requested_amount", period), p.individual.ceiling)
    flags = person("honour_city_level", period) | person("recommended_by_demonstration_incubator", period)
    flags = flags | person("bank_rated_creditworthy", period) | person("second_time_founder_good_record", period)
    small = amount <= p.counter_guarantee_waiver.max_amount
    return person("loan_individual_eligible", period) & (small | flags)


def _enterprise(person: Any, period: Any, parameters: Any) -> Any:
    p = parameters(period).loan
    headcount = person("headcount", period).astype(np.int64)
    percent = np.where(
        headcount > p.enterprise.large_headcount, p.enterprise.hire_ratio_percent_large, p.enterprise.hire_ratio_percent
    )
    hiring = person("new_key_group_hires_12m", period).astype(np.int64) * 100 >= percent * headcount
    count_ok = person("prior_guaranteed_loans", period) + 1 <= p.max_total_loans
    clean = ~person("has_wage_or_si_arrears", period) & ~person("has_overdue_guaranteed_loan", period)
    return person("is_small_micro", period) & hiring & count_ok & clean


def _enterprise_amount(person: Any, period: Any, parameters: Any) -> Any:
    amount = np.minimum(person("requested_amount", period), parameters(period).loan.enterprise.ceiling)
    return np.where(person("loan_enterprise_eligible", period), amount, 0)


def _interest(person: Any, period: Any, parameters: Any) -> Any:
    method = value_on(_SYSTEM_PARAMETERS[0], "loan.interest_subsidy.method", person("contract_date", period))
    return (method > 0) & ~person("extended", period) & ~person("overdue", period)


def _interest_amount(person: Any, period: Any, parameters: Any) -> Any:
    node = _SYSTEM_PARAMETERS[0]
    index = (person("contract_date", period) - _FIRST_DAY).astype(np.int64)

    def on_contract(path: str) -> np.ndarray:
        return _value_table(node, path)[index]

    method = on_contract("loan.interest_subsidy.method")
    small = person("is_small_micro", period)
    ceiling = np.where(small, on_contract("loan.enterprise.ceiling"), on_contract("loan.individual.ceiling"))
    principal = np.minimum(person("principal", period).astype(np.int64), ceiling)  # 分
    rate = person("annual_rate", period).astype(np.int64)  # millionths
    days = person("days", period).astype(np.int64)
    scale = parameters(period).loan.interest_subsidy.day_basis * 1_000_000
    den = np.maximum(on_contract("loan.interest_subsidy.share_den"), 1)
    num = on_contract("loan.interest_subsidy.share_num")
    base = principal * days
    # Both numerators are never negative here, so half-up is one integer division.
    half = (2 * base * rate * num + scale * den) // (2 * scale * den)
    borrower = on_contract("lpr.one_year") - on_contract("loan.interest_subsidy.lpr_spread")
    spread = (2 * base * np.maximum(rate - borrower, 0) + scale) // (2 * scale)
    amount = np.where(method == 2, half, np.where(method == 1, spread, 0))
    return np.where(person("interest_subsidy_eligible", period), amount, 0)


def _startup(person: Any, period: Any, parameters: Any) -> Any:
    p = parameters(period).subsidy.startup_once
    on = _on(period)
    groups = person("key_groups", period)
    started = person("business_started_on", period)
    graduation = person("graduation_date", period)
    graduate = ((groups & GROUP_BIT["graduate"]) != 0) & (graduation <= started)
    graduate = graduate & (started <= shifted(graduation, int(p.graduate_window_months)))
    other = (groups & (GROUP_BIT["employment_difficulty"] | GROUP_BIT["returning_migrant"])) != 0
    operating = shifted(started, int(p.min_operating_months)) <= on
    return (graduate | other) & person("first_business", period) & operating


def _startup_amount(person: Any, period: Any, parameters: Any) -> Any:
    return np.where(person("startup_once_eligible", period), parameters(period).subsidy.startup_once.amount, 0)


def _social_insurance(person: Any, period: Any, parameters: Any) -> Any:
    p = parameters(period).subsidy.social_insurance
    on = _on(period)
    groups = person("key_groups", period)
    months = person("si_subsidy_months_received", period)
    birth, is_male = person("birth_date", period), person("is_male", period)
    retire = retirement_of(birth, is_male)
    near_from = retirement_of(birth, is_male, -int(p.near_retirement_months))
    near = (person("first_si_subsidy_date", period) >= near_from) & (on < retire)
    difficulty = ((groups & GROUP_BIT["employment_difficulty"]) != 0) & ((months <= p.difficulty_max_months) | near)
    window = on <= shifted(person("graduation_date", period), int(p.graduate_window_months))
    graduate = ((groups & GROUP_BIT["graduate"]) != 0) & ~person("employed", period) & window
    graduate = graduate & (months <= p.graduate_max_months)
    paid = person("si_contribution_paid", period) > 0
    return person("flexible_employment_registered", period) & paid & (difficulty | graduate)


def _social_insurance_amount(person: Any, period: Any, parameters: Any) -> Any:
    p = parameters(period).subsidy.social_insurance
    paid = person("si_contribution_paid", period).astype(np.int64)
    amount = (2 * paid * p.share_num + p.share_den) // (2 * p.share_den)  # paid is never negative
    return np.where(person("social_insurance_eligible", period), amount, 0)


def _training(person: Any, period: Any, parameters: Any) -> Any:
    listed = parameters(period).subsidy.training.courses
    bit = np.left_shift(1, person("course", period))
    fresh = (person("previously_subsidised_courses", period) & bit) == 0
    return ((listed & bit) != 0) & person("has_training_certificate", period) & fresh


def _training_amount(person: Any, period: Any, parameters: Any) -> Any:
    node = parameters(period).subsidy.training.amount
    table = np.array([getattr(node, c) for c in COURSE_CODES], dtype=np.int64)
    return np.where(person("training_eligible", period), table[person("course", period)], 0)


FORMULAS = [
    ("loan_individual_eligible", bool, _individual),
    ("loan_individual_amount", int, _individual_amount),
    ("waiver_eligible", bool, _waiver),
    ("loan_enterprise_eligible", bool, _enterprise),
    ("loan_enterprise_amount", int, _enterprise_amount),
    ("interest_subsidy_eligible", bool, _interest),
    ("interest_subsidy_amount", int, _interest_amount),
    ("startup_once_eligible", bool, _startup),
    ("startup_once_amount", int, _startup_amount),
    ("social_insurance_eligible", bool, _social_insurance),
    ("social_insurance_amount", int, _social_insurance_amount),
    ("training_eligible", bool, _training),
    ("training_amount", int, _training_amount),
]
# The parameter tree, for per-row look-ups by contract date (set by ``attach_parameters`` users).
_SYSTEM_PARAMETERS: list[ParameterNode] = []
