"""The arithmetic alone: the priority score, the key-group reserve, booking overlaps, incubation end dates and the
quality indicators."""

import datetime as dt
import itertools
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chuangye.incubators.rules import (
    TenancyFacts,
    add_months,
    compute_indicators,
    first_conflict,
    meets,
    overlaps,
    quota_refusal,
    reserved_spaces,
)
from chuangye.incubators.scoring import WEIGHT_NAMES, priority_score

WEIGHTS = dict(zip(WEIGHT_NAMES, (30, 40, 5, 2, 20, 10), strict=True))
GROUPS = ["graduate", "veteran", "returning_migrant", "employment_difficulty", "poverty_alleviated", "new_citizen"]


# Priority score -------------------------------------------------------------------------------------------------


def test_score_lines_show_each_weight():
    total, lines = priority_score(
        key_groups=["graduate", "veteran"],
        planned_jobs=4,
        first_business=True,
        weights=WEIGHTS,
        group_labels={"graduate": "高校毕业生", "veteran": "退役军人"},
    )
    assert [(line.code, line.points) for line in lines] == [
        ("key_group", 30),
        ("extra_groups", 5),
        ("planned_jobs", 8),
        ("first_business", 10),
    ]
    assert total == 53
    assert lines[0].label == "重点群体：退役军人" or lines[0].label == "重点群体：高校毕业生"


def test_hardship_groups_weigh_more_and_jobs_are_capped():
    assert (
        priority_score(key_groups=["employment_difficulty"], planned_jobs=0, first_business=False, weights=WEIGHTS)[0]
        == 40
    )
    assert priority_score(key_groups=[], planned_jobs=50, first_business=False, weights=WEIGHTS)[0] == 20
    assert priority_score(key_groups=[], planned_jobs=0, first_business=False, weights=WEIGHTS) == (0, [])


@given(
    groups=st.sets(st.sampled_from(GROUPS)),
    extra=st.sampled_from(GROUPS),
    jobs=st.integers(0, 500),
    first=st.booleans(),
    weights=st.lists(st.integers(0, 100), min_size=6, max_size=6),
)
def test_score_properties(groups, extra, jobs, first, weights):
    w = dict(zip(WEIGHT_NAMES, weights, strict=True))
    total, lines = priority_score(key_groups=groups, planned_jobs=jobs, first_business=first, weights=w)
    assert total == sum(line.points for line in lines) >= 0
    # Belonging to one more key group never lowers the score; more planned jobs never lower it either.
    assert priority_score(key_groups=groups | {extra}, planned_jobs=jobs, first_business=first, weights=w)[0] >= total
    assert priority_score(key_groups=groups, planned_jobs=jobs + 1, first_business=first, weights=w)[0] >= total
    jobs_points = next((line.points for line in lines if line.code == "planned_jobs"), 0)
    assert jobs_points <= w["incubators.score.planned_jobs_cap"]


# Key-group reserve ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "share", "reserved"),
    [(10, "15/100", 2), (10, "3/10", 3), (2, "15/100", 1), (0, "15/100", 0), (7, "0", 0), (3, "1", 3)],
)
def test_reserved_spaces_round_up(total, share, reserved):
    assert reserved_spaces(total, Fraction(share)) == reserved


def test_the_reserve_applies_only_to_non_key_groups_in_government_funded_carriers():
    full = {"total": 10, "other_open": 8, "share": Fraction(15, 100)}
    assert quota_refusal(government_funded=True, key_group=False, **full) is not None
    assert quota_refusal(government_funded=True, key_group=True, **full) is None
    assert quota_refusal(government_funded=False, key_group=False, **full) is None
    assert (
        quota_refusal(government_funded=True, key_group=False, total=10, other_open=7, share=Fraction(15, 100)) is None
    )


@given(
    total=st.integers(0, 40),
    share=st.fractions(min_value=0, max_value=1, max_denominator=100),
    arrivals=st.lists(st.booleans(), max_size=60),
)
def test_allocating_in_any_order_never_breaks_the_reserve(total, share, arrivals):
    """Applicants (key group or not) arrive in any order and are allocated while spaces remain and the rule allows:
    non-key-group tenants never hold more than total − reserve spaces."""
    key_open = other_open = 0
    for key_group in arrivals:
        if key_open + other_open == total:
            break
        refusal = quota_refusal(
            government_funded=True, key_group=key_group, total=total, other_open=other_open, share=share
        )
        if refusal is None:
            key_open += key_group
            other_open += not key_group
        assert other_open <= total - reserved_spaces(total, share)


# Bookings -------------------------------------------------------------------------------------------------------

BASE = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
slot = st.tuples(st.integers(0, 96), st.integers(1, 24)).map(
    lambda t: (BASE + dt.timedelta(minutes=30 * t[0]), BASE + dt.timedelta(minutes=30 * (t[0] + t[1])))
)


@given(a=slot, b=slot)
def test_overlap_is_symmetric_and_matches_shared_minutes(a, b):
    assert overlaps(*a, *b) == overlaps(*b, *a)
    shared = min(a[1], b[1]) - max(a[0], b[0])
    assert overlaps(*a, *b) == (shared > dt.timedelta(0))


def test_back_to_back_bookings_do_not_clash():
    nine, ten, eleven = (BASE + dt.timedelta(hours=h) for h in (1, 2, 3))
    assert not overlaps(nine, ten, ten, eleven)
    assert overlaps(nine, eleven, ten, ten + dt.timedelta(minutes=1))


@given(requests=st.lists(slot, max_size=25))
def test_accepting_only_non_conflicting_slots_keeps_the_calendar_disjoint(requests):
    calendar: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in requests:
        if first_conflict(start, end, calendar) is None:
            calendar.append((start, end))
    ordered = sorted(calendar)
    assert all(earlier[1] <= later[0] for earlier, later in itertools.pairwise(ordered))


# Dates and indicators --------------------------------------------------------------------------------------------


def test_add_months_clamps_to_the_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 3, 2), 36) == dt.date(2029, 3, 2)
    assert add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)


def _t(moved_in, moved_out, end, outcome, jobs=0):
    day = dt.date.fromisoformat
    return TenancyFacts(day(moved_in), day(moved_out) if moved_out else None, day(end), outcome, jobs)


def test_indicator_arithmetic():
    values = compute_indicators(
        year=2026,
        spaces=[(Decimal("6.00"), True), (Decimal("6.00"), True), (Decimal("12.00"), False)],
        tenancies=[
            _t("2024-03-01", "2026-02-28", "2027-03-01", "graduated", 5),  # early graduation: on time
            _t("2023-01-01", "2026-06-30", "2026-01-01", "graduated", 3),  # late graduation
            _t("2025-05-01", "2026-04-01", "2027-05-01", "exited", 1),  # early exit
            _t("2026-01-10", None, "2028-01-10", "in_incubation", 2),
            _t("2022-01-01", "2025-12-31", "2025-12-31", "graduated", 9),  # ended last year: not counted
        ],
        events=13,
        staff=6,
        mentors=9,
        ratings=[5, 4, 3, 5],
    )
    assert values["utilisation"] == Fraction(1, 2)  # 12 of 24 m²
    assert values["entities"] == 4
    assert values["success_rate"] == Fraction(2, 3)  # 2 graduated of 3 that left in 2026
    assert values["on_time_rate"] == Fraction(1, 2)
    assert values["jobs_created"] == 11
    assert values["satisfaction"] == Fraction(3, 4)
    assert (values["events"], values["staff"], values["mentors"], values["surveys"]) == (13, 6, 9, 4)
    assert meets(values["utilisation"], Fraction(1, 2)) and not meets(values["mentors"], 10)


def test_ratios_without_data_are_none_and_never_pass():
    values = compute_indicators(year=2026, spaces=[], tenancies=[], events=0, staff=0, mentors=0, ratings=[])
    assert values["utilisation"] is None and values["success_rate"] is None and values["satisfaction"] is None
    assert not meets(None, Fraction(1, 2))
