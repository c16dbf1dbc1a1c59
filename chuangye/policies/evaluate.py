"""Deciding one case: every criterion with its reason, the amount, and the parameters used (the trace)."""

import datetime as dt
import string
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any, NamedTuple

from chuangye.core.money import to_fen
from chuangye.policies.expr import Expr
from chuangye.policies.facts import COURSES, KEY_GROUPS, VOCABULARY, Facts
from chuangye.policies.params import Entry, Snapshot, display_value
from chuangye.policies.policy import Criterion, Policy
from chuangye.policies.pyeval import Env, compile_py

# Enough digits that the one inexact step (numerator ÷ denominator) cannot move a value across a half-分
# boundary: amounts stay below 10^15 分 and denominators below 10^30, so an exact value that is not on a
# boundary lies at least 10^-33 分 from it, far more than a 60-digit quotient's error.
_PRECISION = 60


def fraction_to_fen(value: Fraction | int) -> Decimal:
    """Round an exact amount in yuan to the 分 through ``core.money.to_fen`` (half-up, away from zero)."""
    value = Fraction(value)
    if 100 % value.denominator == 0:  # already whole 分: exact without a division
        return to_fen(Decimal(value.numerator * (100 // value.denominator)).scaleb(-2))
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return to_fen(decimal)


_CODE_NAMES = {**KEY_GROUPS, **COURSES}


class CriterionResult(NamedTuple):
    code: str
    label: str
    passed: bool
    reason: str


class ParameterUse(NamedTuple):
    name: str
    value: Any
    source: str


@dataclass(frozen=True)
class Outcome:
    policy: Policy
    eligible: bool
    amount: Decimal | None
    criteria: tuple[CriterionResult, ...]
    parameters: tuple[ParameterUse, ...]
    amount_note: str = ""

    def as_json(self) -> dict[str, Any]:
        """The one interface shape: policy, eligible, amount ("123.45" or null), criteria, parameters."""
        return {
            "policy": self.policy.code,
            "eligible": self.eligible,
            "amount": None if self.amount is None else f"{self.amount:.2f}",
            "criteria": [
                {"code": c.code, "label": c.label, "passed": c.passed, "reason": c.reason} for c in self.criteria
            ],
            "parameters": [{"name": p.name, "value": p.value, "source": p.source} for p in self.parameters],
        }


def evaluate(policy: Policy, facts: Facts, snapshot: Snapshot) -> Outcome:
    """Decide ``policy`` for one person (or enterprise, or loan) on ``snapshot.on`` with a full trace."""
    return evaluate_many([policy], facts, snapshot)[0]


def evaluate_many(policies: Sequence[Policy], facts: Facts, snapshot: Snapshot) -> list[Outcome]:
    """Decide several policies for the same facts. A criterion that several policies share (the individual-loan
    criteria in the waiver, the loan-count rule in the enterprise loan) is evaluated once; each outcome is the
    same as ``evaluate`` gives on its own."""
    env = Env(facts.values, snapshot, {})
    done: dict[Criterion, tuple[CriterionResult, dict[Any, Entry | None]]] = {}
    return [_decide(policy, facts, env, done) for policy in policies]


def _decide(
    policy: Policy, facts: Facts, env: Env, done: dict[Criterion, tuple[CriterionResult, dict[Any, Entry | None]]]
) -> Outcome:
    used: dict[Any, Entry | None] = {}
    results = []
    eligible = True
    for criterion in policy.criteria:
        found = done.get(criterion)
        if found is None:
            env.used = {}  # each criterion records its own parameter reads, so they can be shared
            found = done[criterion] = (_plan(criterion).run(env, facts), env.used)
        result, reads = found
        results.append(result)
        eligible = eligible and result.passed
        # The same key always maps to the same entry within one snapshot, so update keeps first-use order.
        used.update(reads)
    amount: Decimal | None = None
    note = ""
    if policy.amount is not None:
        # Evaluated even when not eligible, so the trace shows the figures (e.g. the ceiling) that would apply.
        env.used = used
        value = compile_py(policy.amount)(env)
        if eligible and value is not None:
            amount = fraction_to_fen(value)
        elif eligible:
            note = _missing_amount_note(used, env.snapshot)
    snapshot = env.snapshot
    return Outcome(
        policy=policy,
        eligible=eligible,
        amount=amount,
        criteria=tuple(results),
        parameters=tuple(_use(name, day, entry, snapshot) for (name, day), entry in used.items()),
        amount_note=note,
    )


class _CriterionPlan:
    """A criterion made ready for repeated use: compiled test and reason placeholders, precomputed notes."""

    def __init__(self, criterion: Criterion) -> None:
        self.criterion = criterion
        self.test = compile_py(criterion.test)
        show = {k: compile_py(v) if isinstance(v, Expr) else v for k, v in criterion.show.items()}
        # Only the placeholders a template names are computed when that template is used.
        self.passed = (criterion.passed, [(k, show[k]) for k in _placeholders(criterion.passed)])
        self.failed = (criterion.failed, [(k, show[k]) for k in _placeholders(criterion.failed)])
        self.facts = criterion.facts
        self.defaults = [
            (n, f"「{VOCABULARY[n].label}」未提供，按{format_value(VOCABULARY[n].default)}计")
            for n in self.facts
            if VOCABULARY[n].default is not None
        ]

    def run(self, env: Env, facts: Facts) -> CriterionResult:
        c = self.criterion
        result = self.test(env)
        if result is None:
            reason = self._unknown(facts)
        else:
            reason = self._fill(self.passed if result else self.failed, env) + self._default_note(facts)
        return CriterionResult(c.code, c.label, result is True, reason)

    def _unknown(self, facts: Facts) -> str:
        missing = [VOCABULARY[n].label for n in self.facts if facts.values.get(n) is None]
        if missing:
            return "无法判断：未提供" + "、".join(f"「{label}」" for label in missing)
        return "无法判断：决定日期无适用的政策参数"

    @staticmethod
    def _fill(plan: tuple[str, list[tuple[str, Any]]], env: Env) -> str:
        template, show = plan
        if not show:
            return template
        return template.format(**{key: format_value(fn(env)) for key, fn in show})

    def _default_note(self, facts: Facts) -> str:
        notes = [text for name, text in self.defaults if name not in facts.provided]
        return f"（{'；'.join(notes)}）" if notes else ""


def _placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


_plans: dict[Criterion, _CriterionPlan] = {}


def _plan(criterion: Criterion) -> _CriterionPlan:
    plan = _plans.get(criterion)
    if plan is None:
        plan = _plans[criterion] = _CriterionPlan(criterion)
    return plan


def format_value(value: Any) -> str:
    """A value as it reads in a reason: dates ISO, money and rates as plain decimals, booleans 是/否."""
    kind = type(value)
    if kind is int:
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return "未知"
    if kind is bool:
        return "是" if value else "否"
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        if 100 % value.denominator == 0:
            return f"{fraction_to_fen(value):.2f}"
        with localcontext() as ctx:
            ctx.prec = 12
            return format((Decimal(value.numerator) / Decimal(value.denominator)).normalize(), "f")
    if isinstance(value, frozenset | set):
        return "、".join(_CODE_NAMES.get(v, v) for v in sorted(value)) or "无"
    return str(value)


def _use(name: str, day: dt.date | None, entry: Entry | None, snapshot: Snapshot) -> ParameterUse:
    """How a parameter read shows in the trace."""
    if entry is None:
        spec = snapshot.spec(name)
        source = spec.note or "该日期没有适用的取值"
        return ParameterUse(name, None, source if day is None else f"{source}（{day.isoformat()}）")
    return entry.derived((name, day), lambda: _use_of(name, day, entry, snapshot))  # type: ignore[no-any-return]


def _use_of(name: str, day: dt.date | None, entry: Entry, snapshot: Snapshot) -> ParameterUse:
    source = entry.source if day is None else f"{entry.source}；按 {day.isoformat()} 适用"
    return ParameterUse(name, display_value(snapshot.spec(name), entry.value), source)


def _missing_amount_note(used: dict[Any, Entry | None], snapshot: Snapshot) -> str:
    notes = [snapshot.spec(name).note for (name, _day), entry in used.items() if entry is None]
    return "；".join(n for n in notes if n) or "金额所需的参数在决定日期没有适用的取值"
