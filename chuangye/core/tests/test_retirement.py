import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chuangye.core.retirement import category_for, delay_months, retirement_age_months, retirement_date

D = dt.date


@pytest.mark.parametrize(
    ("birth", "category", "years", "months"),
    [
        (D(1964, 12, 31), "male", 60, 0),  # born before January 1965: the old age
        (D(1965, 1, 1), "male", 60, 1),
        (D(1965, 4, 30), "male", 60, 1),  # January–April 1965: 60 years 1 month
        (D(1965, 5, 1), "male", 60, 2),
        (D(1976, 8, 31), "male", 62, 11),
        (D(1976, 9, 1), "male", 63, 0),  # September 1976 and later: 63
        (D(1990, 1, 1), "male", 63, 0),
        (D(1969, 12, 31), "female_cadre", 55, 0),
        (D(1970, 1, 15), "female_cadre", 55, 1),
        (D(1981, 9, 1), "female_cadre", 58, 0),
        (D(1974, 12, 31), "female_worker", 50, 0),
        (D(1975, 1, 1), "female_worker", 50, 1),
        (D(1975, 3, 1), "female_worker", 50, 2),  # one month later for every two months of birth
        (D(1984, 10, 31), "female_worker", 54, 11),
        (D(1984, 11, 1), "female_worker", 55, 0),  # November 1984 and later: 55
    ],
)
def test_statutory_retirement_age(birth, category, years, months):
    assert retirement_age_months(birth, category) == years * 12 + months


def test_retirement_date_is_the_day_the_age_is_reached():
    assert retirement_date(D(1965, 2, 10), "male") == D(2025, 3, 10)
    assert retirement_date(D(1990, 6, 30), "male") == D(2053, 6, 30)
    # 55 years + 19 months for a cadre born February 1976.
    assert retirement_date(D(1976, 2, 29), "female_cadre") == D(2032, 9, 29)
    # No 29 February in the target year: the month's last day.
    assert retirement_date(D(1972, 2, 29), "female_worker") == D(2022, 2, 28)


def test_category_for_defaults_women_to_worker_posts():
    assert category_for("M") == "male"
    assert category_for("F") == "female_worker"
    assert category_for("F", "cadre") == "female_cadre"


@given(
    a=st.dates(min_value=D(1950, 1, 1), max_value=D(2005, 12, 31)),
    b=st.dates(min_value=D(1950, 1, 1), max_value=D(2005, 12, 31)),
    category=st.sampled_from(["male", "female_cadre", "female_worker"]),
)
def test_later_birth_never_retires_earlier_or_at_a_younger_age(a, b, category):
    first, second = sorted([a, b])
    assert delay_months(first, category) <= delay_months(second, category)
    assert retirement_date(first, category) <= retirement_date(second, category)
