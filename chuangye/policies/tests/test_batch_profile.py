"""The batch plan is specialised to its frame (absent columns, columns without nulls, dates inside the calendar
tables): the same people must get the same results whatever else the frame holds."""

import datetime as dt
import gc
from fractions import Fraction
from unittest.mock import patch

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from chuangye.policies import batch, plcompile
from chuangye.policies import expr as x
from chuangye.policies.batch import evaluate_policies, facts_frame
from chuangye.policies.catalogue import CATALOGUE
from chuangye.policies.facts import parse_facts
from chuangye.policies.plprofile import Profile
from chuangye.policies.policy import Criterion, Policy
from chuangye.policies.resolver import national_snapshot
from chuangye.policies.tests.test_equivalence import decision_dates, person

POLICIES = list(CATALOGUE.values())


@st.composite
def complete_people(draw: st.DrawFn) -> tuple[dt.date, list[dict]]:
    on = draw(decision_dates)
    return on, draw(st.lists(person(on), min_size=1, max_size=6))


@settings(max_examples=60, deadline=None)
@given(case=complete_people())
def test_results_do_not_depend_on_what_else_the_frame_holds(case):
    on, people = case
    snapshot = national_snapshot(on)
    frame = facts_frame([parse_facts(p) for p in people])
    n = frame.height
    expected = evaluate_policies(POLICIES, frame, snapshot)

    # A row of nothing but nulls makes every column nullable: the general plan.
    padded = pl.concat([frame, pl.DataFrame([{}], schema=frame.schema)], how="vertical")
    assert Profile.of(padded).complete == frozenset()
    assert evaluate_policies(POLICIES, padded, snapshot).head(n).equals(expected)

    # Columns that hold only nulls left out altogether: compiled as constants.
    empty = [s.name for s in frame.iter_columns() if s.null_count() == n]
    assert evaluate_policies(POLICIES, frame.drop(empty), snapshot).equals(expected)

    # A date far outside the calendar tables elsewhere in the frame: the plan keeps its range checks.
    far = pl.DataFrame([{"birth_date": dt.date(1700, 1, 1), "contract_date": dt.date(2400, 1, 1)}])
    wide = pl.concat([frame, far.with_columns(pl.col(c).cast(frame.schema[c]) for c in far.columns)], how="diagonal")
    assert evaluate_policies(POLICIES, wide, snapshot).head(n).equals(expected)

    # Large frames run on Polars' streaming engine: the same plan gives the same results there.
    with patch.object(plcompile, "STREAMING_FROM_ROWS", 0):
        assert evaluate_policies(POLICIES, frame, snapshot).equals(expected)


def test_the_profile_of_a_frame():
    born = [dt.date(1990, 1, 1), None]
    frame = pl.DataFrame({"birth_date": born, "employed": [True, False], "contract_date": [dt.date(1700, 1, 1)] * 2})
    profile = Profile.of(frame)
    assert profile.present == frozenset({"birth_date", "employed", "contract_date"})
    assert profile.complete == frozenset({"employed", "contract_date"})
    assert profile.in_domain == frozenset({"birth_date"})
    assert not profile.has("sex") and Profile().has("sex")


def test_a_policy_whose_every_fact_is_absent_still_answers_every_row():
    frame = pl.DataFrame({"employed": [True, False, None]})
    snapshot = national_snapshot(dt.date(2024, 1, 1))
    for policy in POLICIES:
        result = evaluate_policies([policy], frame, snapshot)
        assert result.height == 3, policy.code
        assert result.get_column(f"{policy.code}.eligible").to_list() == [False] * 3
    assert evaluate_policies(POLICIES, frame.head(0), snapshot).height == 0


def test_a_new_policy_never_gets_the_plan_of_one_gone_before():
    # Plans are cached by policy; were they cached by id(), a policy created after another was freed could take
    # its address and be given its plan.
    frame = facts_frame([parse_facts({"employed": True})])
    snapshot = national_snapshot(dt.date(2024, 1, 1))
    for amount in range(1, 40):
        policy = Policy(
            code="test.throwaway",
            title="临时",
            plan=1,
            plan_title="测试",
            legal_basis=(),
            criteria=(Criterion(code="employed", label="在业", test=x.fact("employed"), passed="是", failed="否"),),
            amount=x.Const(Fraction(amount), "num"),
        )
        result = evaluate_policies([policy], frame, snapshot)
        assert result.get_column("test.throwaway.amount_fen").to_list() == [amount * 100]
        del policy, result
        batch._partner_tests_of.cache_clear()  # as if evicted from that cache (kept apart, evicted in its own order)
        gc.collect()
