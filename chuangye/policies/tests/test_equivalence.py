"""One definition, two evaluators: for every policy, the per-person evaluator and the batch evaluator agree on
eligibility, on every criterion and on the amount to the 分, for generated facts full of boundary dates."""

import datetime as dt
from decimal import Decimal

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from chuangye.core.dates import add_months
from chuangye.policies.batch import evaluate_batch, facts_frame
from chuangye.policies.catalogue import CATALOGUE
from chuangye.policies.evaluate import evaluate, evaluate_many
from chuangye.policies.facts import COURSES, KEY_GROUPS, parse_facts
from chuangye.policies.resolver import national_snapshot

# Decision dates around every parameter change and calendar edge, plus ordinary days.
EDGES = [
    dt.date(2018, 4, 2),
    dt.date(2020, 4, 14),
    dt.date(2020, 4, 15),
    dt.date(2021, 1, 1),
    dt.date(2023, 9, 30),
    dt.date(2023, 10, 1),
    dt.date(2024, 2, 29),
    dt.date(2025, 2, 28),
    dt.date(2025, 3, 31),
]
decision_dates = st.one_of(st.sampled_from(EDGES), st.dates(dt.date(2018, 4, 2), dt.date(2032, 12, 31)))


def around(on: dt.date, months: st.SearchStrategy[int]) -> st.SearchStrategy[str]:
    """ISO dates a whole number of months before ``on``, give or take a couple of days (the boundaries)."""

    def build(m: int, shift: int) -> str:
        day = add_months(on, -m) + dt.timedelta(days=shift)
        return day.isoformat()

    return st.builds(build, months, st.integers(-2, 2))


def money(low: int, high: int) -> st.SearchStrategy[str]:
    cents = st.integers(low * 100, high * 100)
    edges = st.sampled_from([low * 100, high * 100, 10_000_000, 20_000_000, 30_000_000, 400_000_000])
    return st.one_of(cents, edges).map(lambda c: str(Decimal(c) / 100))


def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """Usually present (a missing fact fails most rules, and the passing paths need exercising too)."""
    return st.sampled_from([True] * 7 + [False]).flatmap(lambda present: strategy if present else st.none())


def mostly(value: bool) -> st.SearchStrategy[bool | None]:
    return maybe(st.sampled_from([value] * 4 + [not value]))


@st.composite
def person(draw: st.DrawFn, on: dt.date, *, partners: bool = True) -> dict:
    graduation = draw(maybe(around(on, st.integers(0, 40))))
    facts = {
        "birth_date": draw(maybe(around(on, st.one_of(st.integers(210, 500), st.integers(200, 800))))),
        "sex": draw(maybe(st.sampled_from(["M", "F"]))),
        "key_groups": draw(maybe(st.lists(st.sampled_from(list(KEY_GROUPS)), min_size=1, max_size=3))),
        "graduation_date": graduation,  # business and contract dates cluster around it below
        "employed": draw(mostly(False)),
        "flexible_employment_registered": draw(mostly(True)),
        "prior_guaranteed_loans": draw(maybe(st.sampled_from([0, 1, 2, 2, 3]))),
        "has_overdue_guaranteed_loan": draw(mostly(False)),
        "has_disallowed_debt": draw(mostly(False)),
        "requested_amount": draw(maybe(money(1, 5_000_000))),
        "honour_city_level": draw(mostly(False)),
        "business_started_on": draw(maybe(around(on, st.integers(0, 40)))),
        "first_business": draw(mostly(True)),
        "course": draw(maybe(st.sampled_from(list(COURSES)))),
        "has_training_certificate": draw(mostly(True)),
        "previously_subsidised_courses": draw(maybe(st.lists(st.sampled_from(list(COURSES)), max_size=3))),
        "si_contribution_paid": draw(maybe(money(0, 20_000))),
        "si_subsidy_months_received": draw(maybe(st.one_of(st.integers(0, 40), st.integers(20, 70)))),
        "first_si_subsidy_date": draw(maybe(around(on, st.integers(0, 80)))),
        "is_small_micro": draw(mostly(True)),
        "headcount": draw(maybe(st.integers(0, 300))),
        "new_key_group_hires_12m": draw(maybe(st.integers(0, 40))),
        "has_wage_or_si_arrears": draw(mostly(False)),
        "contract_date": draw(maybe(around(on, st.integers(0, 48)))),
        "principal": draw(maybe(money(1, 6_000_000))),
        "annual_rate": draw(maybe(st.integers(0, 120_000).map(lambda r: str(Decimal(r) / 1_000_000)))),
        "days": draw(maybe(st.integers(1, 400))),
        "extended": draw(mostly(False)),
        "overdue": draw(mostly(False)),
    }
    if partners:
        facts["partners"] = draw(maybe(st.lists(person(on, partners=False), min_size=1, max_size=3)))
    return {k: v for k, v in facts.items() if v is not None}


@st.composite
def population(draw: st.DrawFn) -> tuple[dt.date, list[dict], dict[str, str]]:
    on = draw(decision_dates)
    people = draw(st.lists(person(on), min_size=1, max_size=8))
    # Regional figures: set or not, so formulas meet both present and missing parameters.
    regional = {}
    for name in ("subsidy.startup_once.amount", "subsidy.training.amount.SYB", "subsidy.training.amount.GYB"):
        if draw(st.booleans()):
            regional[name] = draw(money(0, 20_000))
    if draw(st.booleans()):
        regional["loan.individual.ceiling"] = draw(money(1, 600_000))
    return on, people, regional


@given(case=population())
def test_per_person_and_batch_agree(case):
    """Each generated population is decided under every policy, so one example exercises the whole catalogue."""
    on, people, regional = case
    snapshot = national_snapshot(on)
    for name, value in regional.items():
        snapshot = snapshot.with_value(name, value, start=on - dt.timedelta(days=400))
    facts = [parse_facts(p) for p in people]
    frame = facts_frame(facts)

    # Deciding all policies at once (shared criteria evaluated once) gives the same outcomes one by one.
    for fact in facts:
        together = [o.as_json() for o in evaluate_many(list(CATALOGUE.values()), fact, snapshot)]
        assert together == [evaluate(p, fact, snapshot).as_json() for p in CATALOGUE.values()]

    # Codes given as their positions in the vocabulary decide the same (the plan works on positions either way).
    positions = frame.with_columns(pl.col("sex", "course").to_physical())
    for code, policy in CATALOGUE.items():
        batch = evaluate_batch(policy, frame, snapshot, criteria=True)
        assert evaluate_batch(policy, positions, snapshot, criteria=True).equals(batch), code
        for row, fact in zip(batch.iter_rows(named=True), facts, strict=True):
            outcome = evaluate(policy, fact, snapshot)
            expected = None if outcome.amount is None else int(outcome.amount * 100)
            assert (code, row["eligible"], row["amount_fen"]) == (code, outcome.eligible, expected)
            per_person = {c.code: c.passed for c in outcome.criteria}
            assert per_person == {c.code: row[c.code] for c in policy.criteria}, code
