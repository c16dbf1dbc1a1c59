"""The generated per-person evaluator against a small tree-walking interpreter kept here.

The interpreter below restates ``expr``'s semantics node by node, the slow and obvious way (one recursive call
per node, the trace recorded as it goes, calendar nodes memoised per node). Deciding every policy with it must
give exactly what ``evaluate_many`` gives — every criterion, reason, amount and trace line, in order — for
generated people full of missing facts and boundary dates, and for trees written to hit the generator's corners
(reused values, calendar nodes holding branches, parameters read in one branch only, partners).
"""

import datetime as dt
import math
import operator
import string
from collections.abc import Mapping
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chuangye.core.dates import add_months
from chuangye.core.errors import FieldValueError
from chuangye.core.money import to_fen
from chuangye.core.retirement import category_for, retirement_date
from chuangye.policies import expr as x
from chuangye.policies import facts as facts_module
from chuangye.policies import pyeval
from chuangye.policies.catalogue import CATALOGUE
from chuangye.policies.catalogue import subsidy_social_insurance as si
from chuangye.policies.evaluate import (
    _missing_amount_note,
    _use,
    criterion_runner,
    evaluate,
    evaluate_many,
    format_fraction,
    format_value,
    fraction_to_fen,
)
from chuangye.policies.facts import COURSES, KEY_GROUPS, VOCABULARY, parse_facts
from chuangye.policies.pyeval import Env, compile_py
from chuangye.policies.resolver import national_snapshot
from chuangye.policies.tests.test_equivalence import person, population

COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}
COMPARE["!="] = operator.ne
ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}


class Walk:
    """The interpreter's state for one person: facts, snapshot, the reads of the current criterion, a memo."""

    def __init__(self, values: Mapping[str, Any], snapshot: Any, used: dict) -> None:
        self.values, self.snapshot, self.used, self.memo = values, snapshot, used, {}

    def read(self, name: str, day: dt.date | None) -> Any:
        entry = self.snapshot.entry(name) if day is None else self.snapshot.entry_on(name, day)
        self.used.setdefault((name, day), entry)
        return None if entry is None else entry.value

    def eval(self, node: x.Expr) -> Any:
        kind = type(node)
        if kind in (x.AddMonths, x.RetirementDate):
            return self.memoised(node)
        if kind is x.Fact:
            return self.values[node.name]
        if kind is x.Param:
            return self.read(node.name, None)
        if kind is x.ParamOn:
            day = self.eval(node.at)
            return None if day is None else self.read(node.name, day)
        if kind is x.ParamFor:
            key = self.eval(node.key)
            return self.read(f"{node.prefix}.{key}", None) if key in node.keys else None
        if kind is x.Const:
            return node.value
        if kind is x.Today:
            return self.snapshot.on
        if kind in (x.AllOf, x.AnyOf):
            values = [self.eval(item) for item in node.items]  # all of them: every read is recorded
            decisive = kind is x.AnyOf
            if decisive in values:
                return decisive
            return None if None in values else not decisive
        if kind is x.Not:
            value = self.eval(node.item)
            return None if value is None else not value
        if kind is x.HasAny:
            value = self.eval(node.members)
            return None if value is None else bool(node.codes & value)
        if kind is x.If:
            return self.eval(node.then) if self.eval(node.cond) is True else self.eval(node.otherwise)
        if kind is x.Coalesce:
            value = self.eval(node.first)
            return self.eval(node.second) if value is None else value
        if kind is x.Present:
            return self.eval(node.item) is not None
        if kind is x.PartnerCount:
            partners = self.values["partners"]
            return None if partners is None else len(partners)
        if kind is x.AllPartners:
            partners = self.values["partners"]
            if not partners:
                return None
            each = [Walk(p.values, self.snapshot, self.used).eval(node.test) for p in partners]
            if False in each:
                return False
            return None if None in each else True
        a, b = [self.eval(child) for child in node.children()]
        if a is None or b is None:
            return None
        if kind is x.Compare:
            return COMPARE[node.op](a, b)
        if kind is x.Contains:
            return b in a
        if kind is x.Arith:
            return ARITH[node.op](a, b)
        if kind is x.DivBy:
            return Fraction(a) / b
        return min(a, b) if kind is x.Smallest else max(a, b)

    def memoised(self, node: x.Expr) -> Any:
        """Calendar values once per node; a second use records the node's decision-date parameters again."""
        dynamic = any(isinstance(n, x.ParamOn | x.ParamFor) for n in x.walk(node))
        if node in self.memo and not dynamic:
            for n in x.walk(node):
                if isinstance(n, x.Param):
                    self.read(n.name, None)
            return self.memo[node]
        a, b = (self.eval(child) for child in node.children())
        if a is None or b is None:
            value = None
        elif isinstance(node, x.AddMonths):
            value = add_months(a, int(b))
        else:
            value = retirement_date(a, category_for(b))
        if not dynamic:
            self.memo[node] = value
        return value


def shown_text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return "未知"
    if isinstance(value, Fraction):
        with localcontext() as ctx:
            ctx.prec = 60
            exact = Decimal(value.numerator) / Decimal(value.denominator)
        if value.denominator == 1:
            return str(value.numerator)
        if 100 % value.denominator == 0:
            return f"{to_fen(exact):.2f}"
        with localcontext() as ctx:
            ctx.prec = 12
            return format((Decimal(value.numerator) / Decimal(value.denominator)).normalize(), "f")
    if isinstance(value, frozenset | set):
        names = {**KEY_GROUPS, **COURSES}
        return "、".join(names.get(v, v) for v in sorted(value)) or "无"
    return str(value)


def decide_walking(policies: list, facts: Any, snapshot: Any) -> list:
    """``evaluate_many`` restated on the interpreter: the interface JSON and the amount note of each policy."""
    walk = Walk(facts.values, snapshot, {})
    done: dict = {}
    out = []
    for policy in policies:
        used: dict = {}
        results = []
        for criterion in policy.criteria:
            if criterion not in done:
                walk.used = {}
                done[criterion] = (criterion_walking(criterion, walk, facts), walk.used)
            result, reads = done[criterion]
            results.append(result)
            used.update(reads)
        eligible = all(r["passed"] for r in results)
        amount, note = None, ""
        if policy.amount is not None:
            walk.used = used
            value = walk.eval(policy.amount)
            if eligible and value is not None:
                with localcontext() as ctx:
                    ctx.prec = 60
                    amount = f"{to_fen(Decimal(value.numerator) / Decimal(value.denominator)):.2f}"
            elif eligible:
                note = _missing_amount_note(used, snapshot)
        trace = [_use(name, day, entry, snapshot) for (name, day), entry in used.items()]
        parameters = [{"name": p.name, "value": p.value, "source": p.source} for p in trace]
        json = {"policy": policy.code, "eligible": eligible, "amount": amount, "criteria": results}
        out.append(({**json, "parameters": parameters}, note))
    return out


def criterion_walking(criterion: Any, walk: Walk, facts: Any) -> dict:
    result = walk.eval(criterion.test)
    if result is None:
        missing = [VOCABULARY[n].label for n in criterion.facts if facts.values.get(n) is None]
        reason = "无法判断：决定日期无适用的政策参数"
        if missing:
            reason = "无法判断：未提供" + "、".join(f"「{label}」" for label in missing)
    else:
        template = criterion.passed if result else criterion.failed
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        env = Env(facts.values, walk.snapshot, walk.used)  # the catalogue's reason functions take an Env
        shown = {}
        for name in names:
            how = criterion.show[name]
            shown[name] = shown_text(walk.eval(how) if isinstance(how, x.Expr) else how(env))
        reason = template.format(**shown) if names else template
        notes = [
            f"「{VOCABULARY[n].label}」未提供，按{shown_text(VOCABULARY[n].default)}计"
            for n in criterion.facts
            if VOCABULARY[n].default is not None and n not in facts.provided
        ]
        reason += f"（{'；'.join(notes)}）" if notes else ""
    return {"code": criterion.code, "label": criterion.label, "passed": result is True, "reason": reason}


def generated(policies: list, facts: Any, snapshot: Any) -> list:
    return [(o.as_json(), o.amount_note) for o in evaluate_many(policies, facts, snapshot)]


@settings(max_examples=60, deadline=None)
@given(case=population(), order=st.randoms(use_true_random=False))
def test_every_policy_matches_the_interpreter(case, order):
    """Whole decisions, trace included, for the catalogue in its order and shuffled (sharing differs)."""
    on, people, regional = case
    snapshot = national_snapshot(on)
    for name, value in regional.items():
        snapshot = snapshot.with_value(name, value, start=on - dt.timedelta(days=400))
    policies = list(CATALOGUE.values())
    shuffled = policies[:]
    order.shuffle(shuffled)
    for raw in people:
        facts = parse_facts(raw)
        assert generated(policies, facts, snapshot) == decide_walking(policies, facts, snapshot)
        assert generated(shuffled, facts, snapshot) == decide_walking(shuffled, facts, snapshot)
        for policy in policies:
            alone = evaluate(policy, facts, snapshot)
            assert [(alone.as_json(), alone.amount_note)] == decide_walking([policy], facts, snapshot)


# Trees written to meet the generator's special cases.
BIRTH, STARTED, ON = x.Fact("birth_date"), x.Fact("business_started_on"), x.Today()
WINDOW = x.Param("subsidy.startup_once.graduate_window_months")
MONTHS = x.Param("subsidy.startup_once.min_operating_months")
SMALL = x.Fact("is_small_micro")
BRANCHY_MONTHS = x.If(SMALL, WINDOW, MONTHS)  # a parameter read in one branch only
SHARED_CALENDAR = x.AddMonths(STARTED, BRANCHY_MONTHS)
CORNERS = [
    # A calendar node holding a branch: a memo hit records both branches' parameters, a computation one.
    x.all_of(x.AddMonths(STARTED, BRANCHY_MONTHS) <= ON, x.AddMonths(STARTED, BRANCHY_MONTHS) <= ON),
    x.all_of(SHARED_CALENDAR <= ON, x.Present(SHARED_CALENDAR), SHARED_CALENDAR > ON),
    x.any_of(
        x.AddMonths(STARTED, BRANCHY_MONTHS) <= ON,
        x.If(x.Fact("employed"), x.AddMonths(STARTED, BRANCHY_MONTHS), ON) > ON,
    ),
    # The same shape twice in one tree (reused), and the same calendar shape in two nodes.
    x.all_of(x.AddMonths(BIRTH, MONTHS) < ON, x.AddMonths(BIRTH, MONTHS) < ON, x.Present(x.AddMonths(BIRTH, MONTHS))),
    # Coalesce reading a parameter only when the first value is missing.
    x.Coalesce(x.Fact("requested_amount"), x.Param("loan.individual.ceiling")) * 2,
    x.Coalesce(x.Fact("principal"), x.Fact("requested_amount") + x.Param("loan.enterprise.ceiling")) / 3,
    # Dated and keyed reads; partners.
    x.ParamOn("loan.individual.ceiling", x.Coalesce(x.Fact("contract_date"), STARTED)),
    x.ParamFor("subsidy.training.amount", x.Fact("course"), tuple(COURSES)),
    x.AllPartners(x.all_of(x.HasAny(x.Fact("key_groups"), frozenset(KEY_GROUPS)), x.AddMonths(BIRTH, MONTHS) < ON)),
    x.Smallest(x.Fact("si_contribution_paid"), x.Const(Fraction(7, 3), "num")).equals(x.Const(Fraction(7, 3), "num")),
    x.Largest(x.PartnerCount(), x.Const(2, "int")) * x.Const(Fraction(1, 7), "num"),
    x.Not(x.Contains(x.Param("subsidy.training.courses"), x.Fact("course"))),
]


@pytest.mark.parametrize("tree", CORNERS, ids=range(len(CORNERS)))
@settings(max_examples=40, deadline=None)
@given(raw=st.one_of(person(dt.date(2024, 6, 15)), person(dt.date(2021, 3, 1))), twice=st.booleans())
def test_corner_trees_match_the_interpreter(tree, raw, twice):
    """Value and recorded reads (in order) of a compiled tree, also when the memo already holds its values."""
    snapshot = national_snapshot(dt.date(2024, 6, 15)).with_value("subsidy.training.amount.SYB", "1000.00")
    facts = parse_facts(raw)
    env, walk = Env(facts.values, snapshot, {}), Walk(facts.values, snapshot, {})
    rounds = 2 if twice else 1
    for _ in range(rounds):
        env.used, walk.used = {}, {}
        assert compile_py(tree)(env) == walk.eval(tree)
        assert list(env.used.items()) == list(walk.used.items())


@settings(max_examples=60, deadline=None)
@given(raw=person(dt.date(2024, 6, 15)))
def test_equal_calendar_nodes_in_separate_trees_keep_their_own_memo(raw):
    """Two trees, each with its own (equal) calendar node holding a branch, decided one after the other on the
    same person: the second computes its node (reads of the branch taken), it does not hit the first's memo."""
    snapshot = national_snapshot(dt.date(2024, 6, 15))
    first, second = (x.AddMonths(STARTED, x.If(SMALL, WINDOW, MONTHS)) <= ON for _ in range(2))
    facts = parse_facts(raw)
    env, walk = Env(facts.values, snapshot, {}), Walk(facts.values, snapshot, {})
    for tree in (first, second, first):
        env.used, walk.used = {}, {}
        assert compile_py(tree)(env) == walk.eval(tree)
        assert list(env.used.items()) == list(walk.used.items())


def test_catalogue_reason_functions_see_the_values_the_tests_kept():
    """``which`` (social insurance) evaluates the two grounds again; kept values give the same reads."""
    policy = CATALOGUE["subsidy.social_insurance"]
    snapshot = national_snapshot(dt.date(2024, 6, 15))
    raw = {"birth_date": "1970-03-01", "sex": "F", "key_groups": ["employment_difficulty", "graduate"]}
    raw |= {"flexible_employment_registered": True, "si_contribution_paid": "900.00", "employed": False}
    raw |= {"graduation_date": "2023-07-01", "si_subsidy_months_received": 3}
    facts = parse_facts(raw)
    assert generated([policy], facts, snapshot) == decide_walking([policy], facts, snapshot)
    person_criterion = evaluate(policy, facts, snapshot).criteria[2]
    assert person_criterion.passed
    assert person_criterion.reason.startswith("就业困难人员，在享受期限内；离校期限内未就业的高校毕业生")
    # The criterion kept both grounds in the memo; a later evaluation elsewhere still records its reads.
    env = Env(facts.values, snapshot, {})
    criterion_runner(policy.criteria[2])(env, facts.provided)
    for ground in (si.DIFFICULTY, si.GRADUATE):
        env.used, walk = {}, Walk(facts.values, snapshot, {})
        assert compile_py(ground)(env) == walk.eval(ground) is True
        assert list(env.used.items()) == list(walk.used.items()) != []


def test_calendar_steps_match_core():
    """The evaluator's own month arithmetic against ``core.dates`` and ``core.retirement``."""
    day = dt.date(1899, 12, 1)
    while day < dt.date(2101, 3, 1):
        for months in (-1200, -757, -60, -13, -12, -1, 0, 1, 2, 11, 12, 13, 59, 216, 600, 755):
            assert pyeval.add_months(day, months) == add_months(day, months), (day, months)
        for sex in ("M", "F"):
            assert pyeval.retirement_date(day, category_for(sex)) == retirement_date(day, category_for(sex))
        day += dt.timedelta(days=3 if day.day < 26 else 1)


@given(
    value=st.one_of(
        st.fractions(),
        st.integers(-(10**30), 10**30).map(lambda n: Fraction(n, 100)),
        st.integers(-(10**30), 10**30).map(lambda n: Fraction(n, 20)),
        st.integers(0, 10**12).map(lambda n: Fraction(n, 3)),
    )
)
def test_number_texts_match_decimal_formatting(value):
    assert format_fraction(value) == format_value(value) == shown_text(value)
    if 100 % value.denominator == 0 and abs(value) < 10**20:
        assert fraction_to_fen(value) == to_fen(Decimal(value.numerator) / Decimal(value.denominator))


@given(
    value=st.one_of(
        st.fractions(),
        st.fractions(max_denominator=10**12).map(lambda f: f * 10**9),
        # exactly on, and just either side of, a half 分
        st.builds(
            lambda n, d, s: Fraction(2 * n + 1, 200) + Fraction(s, d),
            st.integers(-(10**15), 10**15),
            st.integers(10**3, 10**30),
            st.sampled_from([-1, 0, 1]),
        ),
    )
)
def test_an_exact_amount_rounds_half_up_away_from_zero_to_the_fen(value):
    """Against rational arithmetic alone: |v| × 100 + ½, floored, with v's sign."""
    fen = math.floor(abs(value) * 100 + Fraction(1, 2))
    assert fraction_to_fen(value) == Decimal(fen if value >= 0 else -fen).scaleb(-2)


@given(
    money=st.one_of(
        st.integers(0, 10**12).map(lambda c: f"{c // 100}.{c % 100:02d}"),
        st.from_regex(r"\A[0-9]{1,10}\.[0-9]{2}\Z"),
        st.sampled_from(["0.00", "00.10", "0000000001.00", "1,000.00", " 5.00", "5", "5.0", "-1.00", "１.00"]),
    ),
    rate=st.one_of(
        st.from_regex(r"\A0\.[0-9]{1,7}\Z"),
        st.sampled_from(["0.000000", "0.100", "0.0435", "4.35%", " 0.01", "0.", "0"]),
    ),
    codes=st.lists(st.sampled_from([*KEY_GROUPS, " veteran", "graduate ", "VETERAN", "x", 3]), max_size=4),
    courses=st.lists(st.sampled_from([*COURSES, "syb", " gyb ", "xyz", None]), max_size=4),
)
def test_facts_read_inline_as_the_field_parsers_read_them(money, rate, codes, courses):
    """The shapes ``parse_facts`` reads inline give what the general parsers give, errors included."""
    for name, value in (
        ("requested_amount", money),
        ("si_contribution_paid", money),
        ("annual_rate", rate),
        ("key_groups", codes),
        ("previously_subsidised_courses", courses),
    ):
        spec = VOCABULARY[name]
        try:
            expected: Any = facts_module._PARSERS[spec.kind](spec, value, "facts")
        except FieldValueError as error:
            expected = error.message, error.field_name
        try:
            facts = parse_facts({name: value})
            got: Any = (facts.values[name], facts.canonical[name])
        except FieldValueError as error:
            got = error.message, error.field_name
        assert got == expected
        assert type(got[0]) is type(expected[0])
