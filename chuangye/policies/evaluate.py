"""Deciding one case: every criterion with its reason, the amount, and the parameters used (the trace)."""

import datetime as dt
import itertools
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any, NamedTuple

from chuangye.core.money import to_fen
from chuangye.policies.expr import AllPartners, Expr, ParamFor, ParamOn, walk
from chuangye.policies.expr import Param as ParamNode
from chuangye.policies.facts import COURSES, KEY_GROUPS, VOCABULARY, Facts
from chuangye.policies.params import Entry, Snapshot, display_value
from chuangye.policies.policy import Criterion, Policy
from chuangye.policies.pyeval import DATED_LIMIT, RUNTIME, Env
from chuangye.policies.pygen import Emitter, memo_keys


def fraction_to_fen(value: Fraction | int) -> Decimal:
    """Round an exact amount in yuan to the 分 through ``core.money.to_fen`` (half-up, away from zero).

    The amount is first cut (toward zero) to a thousandth of a yuan, exactly, with integers: half-up to the 分
    depends only on the digits down to the thousandth, which the cut keeps, so ``to_fen`` rounds the cut value
    as it would the exact one."""
    if type(value) is not Fraction:
        value = Fraction(value)
    numerator, denominator = value.numerator, value.denominator
    if 100 % denominator == 0:  # already whole 分: exact without a division
        return to_fen(Decimal(numerator * (100 // denominator)).scaleb(-2))
    thousandths = abs(numerator) * 1000 // denominator
    return to_fen(Decimal(thousandths if numerator >= 0 else -thousandths).scaleb(-3))


# Whole-分 amounts below this many 分 fit the default decimal context, so their text needs no Decimal at all.
_SHORT_FEN = 10**26


def _fen_text(fen: int) -> str:
    """``f"{Decimal(fen).scaleb(-2):.2f}"`` for a whole number of 分 below ``_SHORT_FEN`` in size."""
    whole, cents = divmod(-fen if fen < 0 else fen, 100)
    return f"{'-' if fen < 0 else ''}{whole}.{cents:02d}"


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
        amount = self.amount
        return {
            "policy": self.policy.code,
            "eligible": self.eligible,
            "amount": None if amount is None else f"{amount:.2f}",
            "criteria": [
                {"code": code, "label": label, "passed": passed, "reason": reason}
                for code, label, passed, reason in self.criteria
            ],
            "parameters": [{"name": name, "value": value, "source": source} for name, value, source in self.parameters],
        }


_new = object.__new__  # outcomes are made without the frozen dataclass's per-field ``object.__setattr__``


def evaluate(policy: Policy, facts: Facts, snapshot: Snapshot) -> Outcome:
    """Decide ``policy`` for one person (or enterprise, or loan) on ``snapshot.on`` with a full trace."""
    return evaluate_many([policy], facts, snapshot)[0]


def evaluate_many(policies: Sequence[Policy], facts: Facts, snapshot: Snapshot) -> list[Outcome]:
    """Decide several policies for the same facts. A criterion that several policies share (the individual-loan
    criteria in the waiver, the loan-count rule in the enterprise loan) is evaluated once; each outcome is the
    same as ``evaluate`` gives on its own."""
    key = tuple(policies)
    driver = _drivers.get(key) or _driver(key)
    env = Env(facts.values, snapshot, {})
    return driver(env, facts.provided, env.entries.derived, snapshot)


_drivers: dict[tuple[Policy, ...], Callable[..., list[Outcome]]] = {}


def _driver(policies: tuple[Policy, ...]) -> Callable[..., list[Outcome]]:
    """A generated function deciding ``policies`` in order: each policy's criteria (a criterion met before in the
    list is not run again: its result and parameter reads are reused), then its amount, then its outcome. The
    criteria and amounts are generated inline (see ``emit_criterion``).

    Each criterion records its own parameter reads; a policy's trace is the union of its criteria's reads in
    order, then the amount's reads, exactly as deciding the policy alone gives."""
    em = _emitter()
    # Calendar values that several criteria or amounts of this list compute are memoised; the others are simply
    # computed (exact either way: see ``pygen``).
    seen: set[Criterion] = set()
    units: list[set[Expr]] = []
    for policy in policies:
        for criterion in policy.criteria:
            if criterion not in seen:
                seen.add(criterion)
                trees = [criterion.test, *(s for s in criterion.show.values() if isinstance(s, Expr))]
                units.append(set().union(*(memo_keys(tree) for tree in trees)))
        if policy.amount is not None:
            units.append(memo_keys(policy.amount))
    em.memo_shared = {key for key in set().union(*units) if sum(key in unit for unit in units) > 1}
    slots: dict[Criterion, tuple[str, str]] = {}
    decided = []
    for policy in policies:
        names = []
        for criterion in policy.criteria:
            if criterion not in slots:
                result, reads = em.fresh(), ""
                em.scopes = [{}]  # nothing is reused across criteria: each records its own reads
                if _reads_parameters(criterion):
                    reads = em.fresh()
                    em.line(f"u = {reads} = {{}}")
                    if any(not isinstance(how, Expr) for how in criterion.show.values()):
                        em.line("env.used = u")  # the reason functions read the environment
                emit_criterion(em, criterion, result)
                slots[criterion] = result, reads
            names.append(slots[criterion])
        used = em.assign("{" + ", ".join(f"**{reads}" for _, reads in names if reads) + "}")
        eligible = em.assign(" and ".join(f"{result}[2]" for result, _ in names) or "True")
        results = "(" + "".join(f"{result}, " for result, _ in names) + ")"
        if policy.amount is None:
            amount, note = "None", "''"
        else:
            # Evaluated even when not eligible, so the trace shows the figures (e.g. the ceiling) that would apply.
            em.scopes = [{}]
            em.line(f"u = {used}")
            value = em.value(policy.amount)
            amount, note = em.fresh(), em.fresh()
            em.enter(f"if {eligible} and {value} is not None:")
            em.line(f"{amount}, {note} = fen({value}), ''")
            em.leave()
            em.enter(f"elif {eligible}:")
            em.line(f"{amount}, {note} = None, missing_note({used}, snapshot)")
            em.leave()
            em.enter("else:")
            em.line(f"{amount}, {note} = None, ''")
            em.leave()
        outcome = em.assign("new_outcome(Outcome)")
        em.line(
            f"{outcome}.__dict__.update(policy={em.const(policy)}, eligible={eligible}, amount={amount},"
            f" criteria={results}, parameters=trace({used}, derived, snapshot), amount_note={note})"
        )
        decided.append(outcome)
    em.line("return [" + ", ".join(decided) + "]")
    if len(_drivers) >= _DRIVER_LIMIT:
        _drivers.clear()
    driver = _drivers[policies] = em.function("decide", "env, provided, derived, snapshot", filename="<policies>")
    return driver


def _reads_parameters(criterion: Criterion) -> bool:
    """False when the criterion can record no parameter read (its reads are then left out of the trace)."""
    shown = [how for how in criterion.show.values() if isinstance(how, Expr)]
    if len(shown) < len(criterion.show):
        return True  # a reason function may evaluate rules
    trees = [criterion.test, *shown]
    readers = (ParamNode, ParamOn, ParamFor, AllPartners)
    return any(isinstance(node, readers) for tree in trees for node in walk(tree))


_DRIVER_LIMIT = 256  # lists of policies seen (callers use a few; the bound only guards against misuse)


def _trace(used: dict[Any, Entry | None], derived: dict[Any, Any], snapshot: Snapshot) -> tuple[ParameterUse, ...]:
    """The trace lines of the parameters read. A line depends on the snapshot, the key and the entry only, so
    the lines of a whole sequence of reads are kept per snapshot, checked against the entries read."""
    keys = tuple(used)
    entries = tuple(used.values())
    found = derived.get(keys)
    if found is None or found[0] != entries:
        if len(derived) >= DATED_LIMIT:
            derived.clear()
        lines = tuple(_use(name, day, entry, snapshot) for (name, day), entry in used.items())
        found = derived[keys] = (entries, lines)
    return found[1]


def criterion_runner(criterion: Criterion) -> Callable[[Env, frozenset[str]], CriterionResult]:
    """The generated function deciding ``criterion`` for one person, reason included (cached per criterion)."""
    found = _runners.get(criterion)
    if found is None:
        em = _emitter()
        emit_criterion(em, criterion, "result")
        em.line("return result")
        found = _runners[criterion] = em.function("criterion", "env, provided", filename=f"<{criterion.code}>")
    return found


def _emitter() -> Emitter:
    return Emitter(
        {
            **RUNTIME,
            "format_value": format_value,
            "format_fraction": format_fraction,
            "new": tuple.__new__,
            "Result": CriterionResult,
            "fen": fraction_to_fen,
            "missing_note": _missing_amount_note,
            "new_outcome": _new,
            "Outcome": Outcome,
            "trace": _trace,
        }
    )


def emit_criterion(em: Emitter, criterion: Criterion, target: str) -> None:
    """Generate the decision of ``criterion`` into ``target`` (a ``CriterionResult``); reads go to ``u``.

    The test is computed; when it is null the reason names the missing facts; otherwise the passed or failed
    template is filled (computing only the replacement fields that template names, reusing values the test computed)
    and the note on defaulted facts the person did not provide is appended."""
    em.need("v")
    em.publish_items_of = criterion.test
    test = em.value(criterion.test)
    em.publish_items_of = None
    head = f"{em.const(criterion.code)}, {em.const(criterion.label)}"
    em.enter(f"if {test} is None:")
    em.line(f"{target} = new(Result, ({head}, False, {em.const(_unknown_reason(criterion))}(v)))")
    em.leave()
    defaults = [
        (n, f"「{VOCABULARY[n].label}」未提供，按{format_value(VOCABULARY[n].default)}计")
        for n in criterion.facts
        if VOCABULARY[n].default is not None
    ]
    for template, passed in ((criterion.passed, True), (criterion.failed, False)):
        em.enter(f"elif {test}:" if passed else "else:")
        fixed = None
        if len(defaults) <= 1 and not any(name for _, name, _, _ in string.Formatter().parse(template)):
            # A fixed reason (with or without the note on one defaulted fact): the results are made once.
            fixed = em.const(CriterionResult(criterion.code, criterion.label, passed, template))
            if defaults:
                ((fact_name, text),) = defaults
                noted = CriterionResult(criterion.code, criterion.label, passed, f"{template}（{text}）")
                fixed = f"{fixed} if {fact_name!r} in provided else {em.const(noted)}"
        if fixed is not None and not passed:
            em.line(f"{target} = {fixed}")  # a failing test is falsy, so the result never "passed"
        else:
            if fixed is not None:  # a passing test is True, unless it is some other truthy value
                em.enter(f"if {test} is True:")
                em.line(f"{target} = {fixed}")
                em.leave()
                em.enter("else:")
            reason = em.reason(template, criterion.show)
            if defaults:
                reason = em.assign(f"{reason} + {_default_note(em, defaults)}")
            em.line(f"{target} = new(Result, ({head}, {test} is True, {reason}))")
            if fixed is not None:
                em.leave()
        em.leave()


_runners: dict[Criterion, Callable[[Env, frozenset[str]], CriterionResult]] = {}


def _default_note(em: Emitter, defaults: list[tuple[str, str]]) -> str:
    """An expression for "（…；…）" listing the defaulted facts not provided, or ""."""
    if len(defaults) == 1:
        ((name, text),) = defaults
        return em.assign(f"'' if {name!r} in provided else {em.const(f'（{text}）')}")
    if len(defaults) > 8:  # too many combinations to list
        notes = em.assign("[]")
        for name, text in defaults:
            em.line(f"if {name!r} not in provided: {notes}.append({em.const(text)})")
        return em.assign(f"'（' + '；'.join({notes}) + '）' if {notes} else ''")
    # Every combination of provided / not provided, made once: (provided?, ...) -> the note.
    table = {}
    for given in itertools.product((False, True), repeat=len(defaults)):
        missing = [text for (_, text), provided in zip(defaults, given, strict=True) if not provided]
        table[given] = f"（{'；'.join(missing)}）" if missing else ""
    key = "".join(f"{name!r} in provided, " for name, _ in defaults)
    return em.assign(f"{em.const(table)}[({key})]")


def _unknown_reason(criterion: Criterion) -> Callable[[Mapping[str, Any]], str]:
    labels = [(n, VOCABULARY[n].label) for n in criterion.facts]

    def unknown(values: Mapping[str, Any]) -> str:
        missing = [label for name, label in labels if values.get(name) is None]
        if missing:
            return "无法判断：未提供" + "、".join(f"「{label}」" for label in missing)
        return "无法判断：决定日期无适用的政策参数"

    return unknown


def format_value(value: Any) -> str:
    """A value as it reads in a reason: dates ISO, money and rates as plain decimals, booleans 是/否."""
    kind = type(value)
    if kind is str:
        return str(value)  # the text itself (checked first: reasons show text most often)
    if kind is int:
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return "未知"
    if kind is bool:
        return "是" if value else "否"
    if isinstance(value, Fraction):
        return format_fraction(value)
    if isinstance(value, frozenset | set):
        return "、".join(_CODE_NAMES.get(v, v) for v in sorted(value)) or "无"
    return str(value)


def format_fraction(value: Fraction) -> str:
    """``format_value`` of an exact number: whole, whole 分 (two decimals), else up to 12 significant digits."""
    numerator, denominator = value.numerator, value.denominator
    if denominator == 1:
        return str(numerator)
    if 100 % denominator == 0:
        fen = numerator * (100 // denominator)
        if -_SHORT_FEN < fen < _SHORT_FEN:
            return _fen_text(fen)
        return f"{fraction_to_fen(value):.2f}"
    with localcontext() as ctx:
        ctx.prec = 12
        return format((Decimal(numerator) / Decimal(denominator)).normalize(), "f")


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
