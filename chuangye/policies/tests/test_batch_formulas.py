"""Formulas the catalogue only reaches where the result is masked (an amount for someone not eligible) are still
computed exactly in batch: each is compared, value by value, with the per-person evaluator."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chuangye.policies import expr as x
from chuangye.policies.batch import _compile, _compiled, evaluate_batch, evaluate_policies, facts_frame, prepare
from chuangye.policies.catalogue import CATALOGUE
from chuangye.policies.catalogue.loan_interest_subsidy import (
    BORROWER_RATE,
    CEILING_ON_CONTRACT,
    COUNTED_PRINCIPAL,
    HALF_OF_RATE,
    METHOD,
    SUBSIDISED_RATE,
)
from chuangye.policies.evaluate import evaluate
from chuangye.policies.facts import parse_facts
from chuangye.policies.plcompile import Compiler
from chuangye.policies.plprofile import Profile
from chuangye.policies.pyeval import Env, compile_py
from chuangye.policies.resolver import national_snapshot

CONTRACT = x.fact("contract_date")
ZERO = x.Const(Fraction(0), "num")
FORMULAS = {
    # a branch taken on one stretch of contract dates, where a parameter on the contract date may be one value
    "subsidised_rate": SUBSIDISED_RATE,
    # one side may be null (no ceiling before 2018-04-02), the other not
    "principal_up_to_ceiling": x.Smallest(x.fact("principal"), CEILING_ON_CONTRACT),
    "ceiling_or_principal": x.Largest(CEILING_ON_CONTRACT, x.fact("principal")),
    "rate_above_borrower_rate": x.Largest(x.fact("annual_rate") - BORROWER_RATE, ZERO),
    # tables combined with tables and constants on the calendar
    "ceiling_capped": x.Smallest(CEILING_ON_CONTRACT, x.Const(Fraction(250_000), "num")),
    "ceiling_plus_lpr": x.ParamOn("loan.individual.ceiling", CONTRACT) + x.ParamOn("lpr.1y", CONTRACT) * 100,
    "enterprise_ceiling_or_none": x.If(
        x.fact("is_small_micro"), x.ParamOn("loan.enterprise.ceiling", CONTRACT), x.Const(None, "num")
    ),
    # both sides may be null
    "smaller_request": x.Smallest(x.fact("principal"), x.fact("requested_amount")),
    # a constant moved across a comparison: (v + c) op k as v op (k - c), either side, either sign
    "shifted_sum": x.fact("principal") + x.Const(Fraction(3, 2), "num") <= x.Const(Fraction(250_000), "num"),
    "shifted_difference": x.Const(Fraction(100_000), "num")
    > x.fact("requested_amount") - x.Const(Fraction(9, 4), "num"),
    "shifted_equal": x.Compare(
        "==", x.fact("principal") - x.Const(Fraction(1), "num"), x.Const(Fraction(99_999), "num")
    ),
}


def money() -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), st.integers(1, 60_000_000).map(lambda c: f"{c // 100}.{c % 100:02d}"))


person = st.fixed_dictionaries(
    {
        "contract_date": st.one_of(st.none(), st.dates(dt.date(2015, 1, 1), dt.date(2026, 12, 31)).map(str)),
        "principal": money(),
        "requested_amount": money(),
        "annual_rate": st.one_of(st.none(), st.integers(0, 90_000).map(lambda r: f"0.{r:06d}")),
        "is_small_micro": st.one_of(st.none(), st.booleans()),
    }
).map(lambda facts: {k: v for k, v in facts.items() if v is not None})


@settings(max_examples=80, deadline=None)
@given(people=st.lists(person, min_size=1, max_size=12), on=st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31)))
def test_formulas_in_batch_equal_per_person(people, on):
    snapshot = national_snapshot(on)
    facts = [parse_facts(p) for p in people]
    frame = facts_frame(facts)
    for frame_used in (frame, frame.drop([s.name for s in frame.iter_columns() if s.null_count() == len(people)])):
        compiler = Compiler(snapshot, profile=Profile.of(frame_used))
        compiled = {name: compiler.compile(node) for name, node in FORMULAS.items()}
        result = compiler.run(frame_used, [c.expr.alias(name) for name, c in compiled.items()])
        for name, node in FORMULAS.items():
            got = [None if n is None else Fraction(n, compiled[name].denom) for n in result.get_column(name)]
            expected = [compile_py(node)(Env(f.values, snapshot, {})) for f in facts]
            assert got == [None if v is None else Fraction(v) for v in expected], name


def test_a_formula_on_a_frame_without_its_columns_is_all_null():
    compiler = Compiler(national_snapshot(dt.date(2024, 1, 1)), profile=Profile.of(pl.DataFrame({"x": [1, 2]})))
    node = FORMULAS["principal_up_to_ceiling"]
    assert compiler.compile(node).is_const and compiler.compile(node).const is None


def test_an_amount_exactly_half_a_fen_rounds_up_in_both_evaluators():
    """100,000.00 × 0.0001% × ½ × 36 / 360 = 0.005 元 exactly: half-up gives 0.01 (and 0.015 gives 0.02)."""
    policy = CATALOGUE["loan.interest_subsidy"]
    snapshot = national_snapshot(dt.date(2024, 6, 15))
    people = [
        {"contract_date": "2024-01-10", "principal": "100000.00", "annual_rate": "0.000001", "days": 36},
        {"contract_date": "2024-01-10", "principal": "100000.00", "annual_rate": "0.000003", "days": 36},
    ]
    facts = [parse_facts(p) for p in people]
    assert [evaluate(policy, f, snapshot).amount for f in facts] == [Decimal("0.01"), Decimal("0.02")]
    assert evaluate_batch(policy, facts_frame(facts), snapshot).get_column("amount_fen").to_list() == [1, 2]


def test_a_parameter_constant_over_the_days_of_a_branch_is_folded():
    """In the half-rate branch (contracts from 2023-10-01) the share is ½ on every day: no look-up is planned."""
    compiler = Compiler(national_snapshot(dt.date(2024, 6, 1)), profile=Profile.of(facts_frame([])))
    span = compiler.compile(METHOD.equals("half_rate")).within
    assert span is not None and span[1] == dt.date(2023, 10, 1)
    inside = compiler.compile_within(span, HALF_OF_RATE)
    assert inside.expr.meta.is_column() and inside.denom == 2 * 10**6  # the annual rate, halved by the denominator
    assert not compiler.compile(HALF_OF_RATE).expr.meta.is_column()  # for every row it is still a look-up


def test_a_constant_moved_across_a_comparison_keeps_every_boundary():
    """(v ± c) op k against the per-person evaluator for values at, just below and just above k ∓ c, and null."""
    snapshot = national_snapshot(dt.date(2024, 6, 1))
    c, k = Fraction(3, 2), Fraction(250_000)
    steps = (Decimal("-0.01"), Decimal(0), Decimal("0.01"))
    people = [{}] + [
        {"principal": str(edge + d)} for edge in (Decimal("249998.50"), Decimal("250001.50")) for d in steps
    ]
    facts = [parse_facts(p) for p in people]
    frame = facts_frame(facts)
    principal, k_const, c_const = x.fact("principal"), x.Const(k, "num"), x.Const(c, "num")
    nodes = {
        f"{sign}{op}{side}": x.Compare(op, moved, k_const) if side == "L" else x.Compare(op, k_const, moved)
        for sign, moved in (("+", principal + c_const), ("-", principal - c_const))
        for op in ("<", "<=", ">", ">=", "==", "!=")
        for side in "LR"
    }
    compiler = Compiler(snapshot, profile=Profile.of(frame))
    result = compiler.run(frame, [compiler.compile(node).expr.alias(name) for name, node in nodes.items()])
    for name, node in nodes.items():
        expected = [compile_py(node)(Env(f.values, snapshot, {})) for f in facts]
        assert result.get_column(name).to_list() == expected, name


def test_an_amount_is_compiled_for_the_days_its_criteria_imply():
    """The interest subsidy is only paid for contracts from 2021-01-01 (the first regime's start): inside that
    span the regimes are told apart by one test (from 2023-10-01 or not), with no null branch for earlier days."""
    compiler = Compiler(national_snapshot(dt.date(2024, 6, 1)), profile=Profile.of(facts_frame([])))
    covered = compiler.compile(x.Present(METHOD))
    assert covered.within is not None and covered.within[1:] == (dt.date(2021, 1, 1), None)
    general, inside = (
        str(compiler.compile(SUBSIDISED_RATE).expr),
        str(compiler.compile_within(covered.within, SUBSIDISED_RATE).expr),
    )
    assert "2021-01-01" in general and "null" in general
    assert "2021-01-01" not in inside and "null" not in inside and inside.count("2023-10-01") == 1
    # Inside the half-rate regime's days the lpr-spread regime is never in force: the test folds to a constant.
    late = compiler.compile_within((covered.within[0], dt.date(2023, 10, 1), None), METHOD.equals("lpr_spread"))
    assert late.is_const and late.const is False


BOUNDARY_CONTRACTS = [None, "2020-12-31", "2021-01-01", "2021-01-02", "2023-09-30", "2023-10-01", "2023-10-02"]


@pytest.mark.parametrize("on", [dt.date(2023, 9, 30), dt.date(2024, 6, 15)])
def test_the_interest_subsidy_at_every_regime_boundary_equals_per_person(on):
    policy = CATALOGUE["loan.interest_subsidy"]
    snapshot = national_snapshot(on)
    people = [
        {"contract_date": day, "principal": principal, "annual_rate": rate, "days": 91, "is_small_micro": small}
        for day in BOUNDARY_CONTRACTS
        for principal, rate, small in (("250000.00", "0.0385", False), ("3500000.00", "0.0001", True))
    ]
    people += [{**p, "extended": True} for p in people[:4]] + [{"days": 30}]
    facts = [parse_facts({k: v for k, v in p.items() if v is not None}) for p in people]
    frame = facts_frame(facts)
    for used in (frame, frame.drop([s.name for s in frame.iter_columns() if s.null_count() == len(facts)])):
        batch = evaluate_batch(policy, used, snapshot, criteria=True)
        for row, fact in zip(batch.iter_rows(named=True), facts, strict=True):
            outcome = evaluate(policy, fact, snapshot)
            expected = None if outcome.amount is None else int(outcome.amount * 100)
            assert (row["eligible"], row["amount_fen"]) == (outcome.eligible, expected), fact.values


def test_inside_a_branch_a_look_up_reads_a_table_without_nulls():
    """No ceiling is in force before 2018-04-02, so for every row the ceiling on the contract date may be null.
    Compiled for the interest subsidy's days (contracts from 2021-01-01) only, its table holds no null (the values
    at the span's ends stand in before and after it, where it is never read), and on every day of the span it
    gives the value in force, as per person."""
    snapshot = national_snapshot(dt.date(2024, 6, 1))
    days = [dt.date(2021, 1, 1) + dt.timedelta(days=n) for n in (*range(0, 1500, 37), 1002, 1003, 1004)]
    facts = [
        parse_facts({"contract_date": day.isoformat(), "is_small_micro": small, "principal": "250000.00"})
        for day in days
        for small in (False, True)
    ]
    frame = facts_frame(facts)
    compiler = Compiler(snapshot, profile=Profile.of(frame))
    span = compiler.compile(x.Present(METHOD)).within
    general, inside = compiler.compile(CEILING_ON_CONTRACT), compiler.compile_within(span, CEILING_ON_CONTRACT)
    assert general.nullable and not inside.nullable
    assert inside.tab is not None and inside.tab.valid.all()
    result = compiler.run(frame, [general.expr.alias("general"), inside.expr.alias("inside")])
    expected = [compile_py(CEILING_ON_CONTRACT)(Env(f.values, snapshot, {})) for f in facts]
    assert [Fraction(n, inside.denom) for n in result.get_column("inside")] == expected
    assert result.get_column("general").to_list() == result.get_column("inside").to_list()
    # Neither side of the smaller-of can be null there, and one side is computed (the look-up): Polars' horizontal
    # minimum reads each side once, so the ceiling is looked up once, inline. (A comparison and a choice would read
    # it twice, and Polars, planning without common-subexpression elimination, would look it up twice.)
    counted = compiler.compile_within(span, COUNTED_PRINCIPAL)
    shown = str(counted.expr)
    assert not counted.nullable and shown.count("gather") == 1 and "min_horizontal" in shown


def test_an_intermediate_column_read_only_once_is_written_in_place():
    """A first compile of the catalogue's personal policies makes intermediate columns that only one expression
    reads (calendar positions, look-ups, the waiver's eligibility). The plan kept is compiled again with those
    written in place: every intermediate column it keeps is read at least twice, it has fewer steps, and it
    decides exactly as the first."""
    person = {
        "birth_date": "1990-05-01",
        "sex": "F",
        "key_groups": ["graduate", "employment_difficulty"],
        "graduation_date": "2023-06-30",
        "employed": False,
        "flexible_employment_registered": True,
        "prior_guaranteed_loans": 0,
        "has_overdue_guaranteed_loan": False,
        "has_disallowed_debt": False,
        "requested_amount": "150000.00",
        "honour_city_level": False,
        "recommended_by_demonstration_incubator": True,
        "bank_rated_creditworthy": False,
        "second_time_founder_good_record": False,
        "business_started_on": "2023-09-01",
        "first_business": True,
        "course": "SYB",
        "has_training_certificate": True,
        "previously_subsidised_courses": [],
        "si_contribution_paid": "4800.00",
        "si_subsidy_months_received": 6,
        "first_si_subsidy_date": "2024-01-01",
        "is_small_micro": True,
        "headcount": 20,
        "new_key_group_hires_12m": 4,
        "has_wage_or_si_arrears": False,
        "contract_date": "2022-03-01",
        "principal": "200000.00",
        "annual_rate": "0.0435",
        "days": 90,
        "extended": False,
        "overdue": False,
    }
    people = [person, {**person, "sex": "M", "birth_date": "1964-09-30", "contract_date": "2024-01-10"}]
    frame = prepare(facts_frame(people), add_missing=False)
    policies = tuple(policy for code, policy in CATALOGUE.items() if code != "loan.partnership")
    snapshot, profile = national_snapshot(dt.date(2024, 6, 15)), Profile.of(frame)
    first, first_outputs = _compile(policies, snapshot, profile, criteria=False, prefixed=True)
    kept, outputs = _compiled(policies, snapshot, profile, criteria=False, prefixed=True)
    assert first.read_once(first_outputs) and not kept.read_once(outputs)
    assert len(kept._stages(outputs)[0]) < len(first._stages(first_outputs)[0])
    assert kept.run(frame, outputs).equals(first.run(frame, first_outputs))
    assert kept.run(frame, outputs).equals(evaluate_policies(policies, frame, snapshot))


def test_an_expression_written_in_place_prints_apart_from_a_look_alike():
    """The compiler tells some things apart by an expression's text (a date's calendar key, a paired index). Two
    look-ups at the same position in different tables print alike (a literal table shows no values), as columns
    they had different names, and written in place (``Compiler.derive`` with ``inline``) they keep names apart."""
    at = pl.col("contract_date")
    first = pl.lit(pl.Series([1, 2, 3])).gather(at)
    second = pl.lit(pl.Series([4, 5, 6])).gather(at)
    assert str(first) == str(second)
    compiler = Compiler(national_snapshot(dt.date(2024, 6, 1)), inline=frozenset({"a", "b"}))
    made = compiler.derive(first, "a"), compiler.derive(second, "b")
    assert str(made[0]) != str(made[1]) and not compiler.derived
    frame = pl.DataFrame({"contract_date": [2, 0]})
    assert frame.select(made[0].alias("x"), made[1].alias("y")).rows() == [(3, 6), (1, 4)]
