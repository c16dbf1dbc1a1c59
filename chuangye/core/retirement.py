"""Statutory retirement dates under the gradual reform in force from 2025-01-01.

全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》(2024-09-13): the original ages (men 60; women 55 in cadre
posts, 50 in worker posts) rise by one month for every 4 months of birth (every 2 months for women workers) from
the first affected birth month, to 63, 58 and 55. People born before that month keep the original age.

Assumptions, stated because the law leaves them to practice: the date is the day the person reaches the age (the
month's last day if that day does not exist); the flexible early or late retirement the decision allows is not
modelled; a woman's post category defaults to worker, the category with the earlier date, when it is not known.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from chuangye.core.dates import add_months

Category = Literal["male", "female_cadre", "female_worker"]


@dataclass(frozen=True)
class _Rule:
    base_years: int
    first_affected: tuple[int, int]  # (year, month) of birth
    months_per_step: int
    max_delay_months: int


RULES: dict[Category, _Rule] = {
    "male": _Rule(60, (1965, 1), 4, 36),
    "female_cadre": _Rule(55, (1970, 1), 4, 36),
    "female_worker": _Rule(50, (1975, 1), 2, 60),
}


def category_for(sex: str, female_post: str | None = None) -> Category:
    if sex == "M":
        return "male"
    return "female_cadre" if female_post == "cadre" else "female_worker"


def delay_months(birth_date: dt.date, category: Category) -> int:
    """Months added to the original retirement age for someone born on ``birth_date``."""
    rule = RULES[category]
    year, month = rule.first_affected
    months_since = (birth_date.year - year) * 12 + (birth_date.month - month)
    if months_since < 0:
        return 0
    return min(months_since // rule.months_per_step + 1, rule.max_delay_months)


def retirement_age_months(birth_date: dt.date, category: Category) -> int:
    """The statutory retirement age in months (e.g. 60 years 1 month = 721)."""
    return RULES[category].base_years * 12 + delay_months(birth_date, category)


def retirement_date(birth_date: dt.date, category: Category) -> dt.date:
    """The day the person reaches the statutory retirement age."""
    return add_months(birth_date, retirement_age_months(birth_date, category))
