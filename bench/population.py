"""A synthetic population for the engine benchmark: numpy arrays, one per fact, every fact present.

The same arrays feed both engines: our batch frame (``policies_frame``), OpenFisca's inputs (``openfisca_inputs``)
and, person by person, fact objects as the API receives them (``person_facts``).
"""

import datetime as dt
from typing import Any

import numpy as np
import polars as pl

from chuangye.policies.facts import COURSES, KEY_GROUPS

ON = dt.date(2024, 6, 15)
EPOCH = dt.date(1970, 1, 1)
COURSE_CODES = list(COURSES)
DATE_FACTS = ("birth_date", "graduation_date", "business_started_on", "first_si_subsidy_date", "contract_date")
MONEY_FACTS = ("requested_amount", "si_contribution_paid", "principal")
BOOL_PROBABILITIES = {
    "employed": 0.3,
    "flexible_employment_registered": 0.6,
    "has_overdue_guaranteed_loan": 0.05,
    "has_disallowed_debt": 0.08,
    "honour_city_level": 0.05,
    "recommended_by_demonstration_incubator": 0.05,
    "bank_rated_creditworthy": 0.1,
    "second_time_founder_good_record": 0.05,
    "first_business": 0.85,
    "has_training_certificate": 0.8,
    "is_small_micro": 0.7,
    "has_wage_or_si_arrears": 0.05,
    "extended": 0.05,
    "overdue": 0.05,
}


def _days_before(rng: np.random.Generator, n: int, low_years: float, high_years: float) -> np.ndarray:
    on = (ON - EPOCH).days
    return (on - rng.integers(int(low_years * 365), int(high_years * 365), n)).astype(np.int32)


def _mask(rng: np.random.Generator, n: int, size: int, probability: float) -> np.ndarray:
    bits = rng.random((n, size)) < probability
    return (bits * (1 << np.arange(size))).sum(axis=1).astype(np.int64)


def synthetic(n: int, seed: int = 20240615) -> dict[str, np.ndarray]:
    """``n`` people (and their businesses and loans), reproducible from ``seed``. Money in 分, rates in 1e-6."""
    rng = np.random.default_rng(seed)
    data: dict[str, np.ndarray] = {
        "birth_date": _days_before(rng, n, 16, 70),
        "is_male": rng.random(n) < 0.5,
        "key_groups": _mask(rng, n, len(KEY_GROUPS), 0.12),
        "graduation_date": _days_before(rng, n, 0, 6),
        "prior_guaranteed_loans": rng.integers(0, 4, n),
        "requested_amount": rng.integers(1_000_000, 50_000_000, n),
        "business_started_on": _days_before(rng, n, 0, 4),
        "course": rng.integers(0, len(COURSE_CODES), n),
        "previously_subsidised_courses": _mask(rng, n, len(COURSE_CODES), 0.1),
        "si_contribution_paid": rng.integers(0, 2_000_000, n),
        "si_subsidy_months_received": rng.integers(0, 60, n),
        "first_si_subsidy_date": _days_before(rng, n, 0, 10),
        "headcount": rng.integers(1, 300, n),
        "new_key_group_hires_12m": rng.integers(0, 40, n),
        "contract_date": _days_before(rng, n, 0, 5),
        "principal": rng.integers(100_000, 600_000_000, n),
        "annual_rate": rng.integers(15_000, 60_000, n),
        "days": rng.integers(1, 367, n),
    }
    for name, probability in BOOL_PROBABILITIES.items():
        data[name] = rng.random(n) < probability
    return data


def policies_frame(data: dict[str, np.ndarray]) -> pl.DataFrame:
    """Our batch frame (see ``chuangye.policies.batch``): dates as Date, money in 分, codes as their positions
    in the vocabulary (sex: 0 for M, 1 for F), integers as OpenFisca's model is given them."""
    columns: dict[str, Any] = {}
    for name, values in data.items():
        if name in DATE_FACTS:
            columns[name] = pl.Series(name, values).cast(pl.Date)
        elif name == "is_male":
            columns["sex"] = pl.Series("sex", (~values).astype(np.uint8))
        elif name == "course":
            columns[name] = pl.Series(name, values.astype(np.uint8))
        else:
            columns[name] = pl.Series(name, values)
    return pl.DataFrame(list(columns.values()))  # from a list: measurably quicker than from a dict


def person_facts(data: dict[str, np.ndarray], i: int) -> dict[str, Any]:
    """Person ``i`` as a facts object, the way the API and the decide command receive it."""
    facts: dict[str, Any] = {}
    for name, values in data.items():
        value = values[i].item()
        if name in DATE_FACTS:
            facts[name] = (EPOCH + dt.timedelta(days=value)).isoformat()
        elif name == "is_male":
            facts["sex"] = "M" if value else "F"
        elif name == "course":
            facts[name] = COURSE_CODES[value]
        elif name in ("key_groups", "previously_subsidised_courses"):
            codes = list(KEY_GROUPS) if name == "key_groups" else COURSE_CODES
            facts[name] = [code for bit, code in enumerate(codes) if value >> bit & 1]
        elif name in MONEY_FACTS:
            facts[name] = f"{value // 100}.{value % 100:02d}"
        elif name == "annual_rate":
            facts[name] = f"0.{value:06d}"
        else:
            facts[name] = value
    return facts
