"""The batch evaluator's compiler: a rule tree becomes one Polars expression over a population frame.

Parameters are read from the snapshot at compile time, so decision-date values become literals. Numbers are
exact integers over fixed denominators (see ``plvalues``); nothing is ever a float. Null handling mirrors
``pyeval`` (see ``expr``).
"""

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import polars as pl

from chuangye.core.money import money_limit
from chuangye.policies import batch_dates as bd
from chuangye.policies import expr as x
from chuangye.policies import facts as vocab
from chuangye.policies import pldates, plnumbers
from chuangye.policies.params import Snapshot
from chuangye.policies.plprofile import Profile
from chuangye.policies.plvalues import (
    RATE_DENOMINATOR,
    C,
    Steps,
    Tab,
    align,
    cheap,
    code_pair,
    const,
    day_key,
    lit_int,
)

if tuple(vocab.SEXES) != bd.CATEGORIES:  # the retirement tables are chosen by the sex column's positions
    raise ImportError("batch_dates.CATEGORIES must list the sex codes in the facts vocabulary's order")
STREAMING_FROM_ROWS = 150_000  # where the two engines took about as long on the 2-core benchmark machine
SET_BITS: dict[str, dict[str, int]] = {
    spec.name: {code: 1 << i for i, code in enumerate(spec.choices or {})}
    for spec in vocab.VOCABULARY.values()
    if spec.kind == vocab.SET
}


class Compiler:
    """Compiles nodes against one snapshot. ``columns`` names precomputed columns (partner aggregates);
    ``profile`` describes the frame the plan is for; ``inline``: what ``derive`` writes in place (see there)."""

    def __init__(
        self,
        snapshot: Snapshot,
        columns: Mapping[x.Expr, str] | None = None,
        profile: Profile | None = None,
        inline: frozenset[Any] = frozenset(),
    ) -> None:
        self.snapshot = snapshot
        self.on = snapshot.on
        self.columns = dict(columns or {})
        self.profile = profile or Profile()
        self.readers: dict[Any, int] = {}
        self._staged: dict[Any, tuple[list[pl.Expr], list[list[pl.Expr]], list[str]]] = {}
        self.derived: list[tuple[str, pl.Expr]] = []
        self.inline = inline
        self._origins: dict[str, Any] = {}
        self._inlined = 0
        self._day_indexes: dict[str, pl.Expr] = {}
        self._memo: dict[Any, C] = {}
        self._keys: dict[int, tuple[x.Expr, Any]] = {}
        # While compiling the branch of an ``If`` taken only where a date column lies in a stretch of days: that
        # stretch, per column (see ``_calendar_lookup``).
        self.within: tuple[tuple[str, Any, Any], ...] = ()

    def derive(self, expr: pl.Expr, origin: Any = None) -> pl.Expr:
        """Compute ``expr`` as its own intermediate column and refer to it by name. Calendar arithmetic uses its
        input several times; nesting such expressions would grow the query tree exponentially.

        ``origin`` names what asks for the column (a date's calendar position, a look-up, a shared formula), the
        same in every compile of the same plan. Where a first compile found the column read only once
        (``read_once``), a second one with that origin in ``inline`` writes ``expr`` in place: computed once
        either way, and with fewer intermediate columns the plan has fewer steps, each of which waits for its
        slowest column. Written in place it keeps a name of its own, as the column had: the compiler tells some
        things apart by an expression's text (a date's ``day_key``, a paired index), and two look-ups in different
        tables at the same position would otherwise print alike."""
        if origin is not None and origin in self.inline:
            self._inlined += 1
            return expr.alias(f"__inline_{self._inlined}")
        name = f"__derived_{len(self.derived)}"
        self.derived.append((name, expr))
        if origin is not None:
            self._origins[name] = origin
        return pl.col(name)

    def read_once(self, outputs: list[pl.Expr]) -> frozenset[Any]:
        """The origins of the intermediate columns that ``outputs`` need and read only once (see ``derive``)."""
        stages, _ = self._stages(outputs)
        reads: dict[str, int] = {}
        for expr in [*outputs, *(e for stage in stages for e in stage)]:
            for root in expr.meta.root_names():
                reads[root] = reads.get(root, 0) + 1
        return frozenset(origin for name, origin in self._origins.items() if reads.get(name) == 1)

    def day_index(self, base: pl.Expr) -> pl.Expr:
        """The calendar-table position of a date column, computed once however many look-ups use it."""
        key = str(base)
        found = self._day_indexes.get(key)
        if found is None:
            checked = base.meta.is_column() and base.meta.output_name() in self.profile.in_domain
            found = self._day_indexes[key] = self.derive(bd.day_index(base, in_domain=checked), ("day", key))
        return found

    def paired_index(self, key: str, index: pl.Expr, test: pl.Expr) -> pl.Expr:
        """The position in a table of pairs (``plvalues.pair_tables``): twice the position, plus one where ``test``."""
        found = self._day_indexes.get(key)
        if found is None:
            found = self._day_indexes[key] = self.derive(index * 2 + test.cast(pl.UInt32), ("pair", key))
        return found

    def index_nullable(self, base: pl.Expr, nullable: bool) -> bool:
        """Whether the calendar position of ``base`` can be null: a null date, or one outside the domain."""
        return nullable or not (base.meta.is_column() and base.meta.output_name() in self.profile.in_domain)

    def fill_false(self, c: C) -> pl.Expr:
        """A condition with unknown (null) counted as not met."""
        return c.expr.fill_null(False) if c.nullable else c.expr

    def share(self, expr: pl.Expr, origin: Any = None) -> pl.Expr:
        """``expr`` as something cheap to use several times: columns and literals as they are, anything else
        computed once as an intermediate column (``origin``: see ``derive``)."""
        if cheap(expr):
            return expr
        return self.derive(expr, origin)

    def run(self, frame: pl.DataFrame, outputs: list[pl.Expr]) -> pl.DataFrame:
        """Evaluate ``outputs`` over ``frame`` after the intermediate columns they need."""
        stages, names = self._stages(outputs)
        plan = frame.lazy()
        for stage in stages:
            plan = plan.with_columns(stage)
        # Polars' streaming engine pays off on large frames; below that its start-up costs more than it saves.
        engine: Literal["streaming", "in-memory"] = "streaming" if frame.height >= STREAMING_FROM_ROWS else "in-memory"
        # The plan shares its intermediate results and folds its constants itself (see ``derive``, ``share`` and
        # the rules below), so Polars' optimiser would find nothing to do and only add planning time.
        flags = pl.QueryOptFlags.none()
        # The outputs are selected directly: a constant among them takes the height of the others. Only when every
        # output folded to a constant does that give one row; they are then added to the frame's rows instead.
        result = plan.select(outputs).collect(engine=engine, optimizations=flags)
        if result.height != frame.height:
            result = plan.with_columns(outputs).select(names).collect(engine=engine, optimizations=flags)
        return result

    def _stages(self, outputs: list[pl.Expr]) -> tuple[list[list[pl.Expr]], list[str]]:
        """The intermediate columns ``outputs`` need, in steps: the columns of one step do not depend on each
        other and are computed in parallel. Worked out once per list of outputs (a cached plan reuses it)."""
        key = (id(outputs), len(outputs), len(self.derived))
        found = self._staged.get(key)
        if found is not None and found[0] is outputs:
            return found[1], found[2]
        needed = {root for output in outputs for root in output.meta.root_names()}
        for name, expr in reversed(self.derived):  # an intermediate column only reads earlier ones
            if name in needed:
                needed.update(expr.meta.root_names())
        levels: dict[str, int] = {}
        stages: list[list[pl.Expr]] = []
        for name, expr in self.derived:
            if name not in needed:
                continue
            level = 1 + max((levels.get(root, -1) for root in expr.meta.root_names()), default=-1)
            levels[name] = level
            if level == len(stages):
                stages.append([])
            stages[level].append(expr.alias(name))
        names = [output.meta.output_name() for output in outputs]
        self._staged[key] = (outputs, stages, names)
        return stages, names

    def compile(self, node: x.Expr) -> C:
        key = self.key(node)  # nodes of the same shape (written separately in two policies) compile once
        # Inside a branch (``compile_within``) a node may compile to something simpler. One already computed
        # for every row as a column is right for these rows too and is reused; anything else is compiled again
        # for the branch's days (an expression costs nothing until used).
        memo = (key, self.within) if self.within else key
        found = self._memo.get(memo)
        if found is None and self.within:
            general = self._memo.get(key)
            if general is not None and general.made is not None and general.made.meta.is_column():
                found = general
        if found is None:
            found = _RULES[type(node)](self, node)
            if self.readers.get(key, 0) > 1 and found.kind in ("bool", "int", "num") and found.made is not None:
                # Read by several formulas: computed once, as an intermediate column.
                found = replace(found, made=self.share(found.made, ("node", memo)))
            self._memo[memo] = found
        return found

    def span_of(self, key: str) -> tuple[Any, Any]:
        """The days the rows being compiled for lie in, for the date column ``key`` (``day_key``): [floor,
        ceiling), either None where nothing is known."""
        floor = ceiling = None
        for column, start, end in self.within:
            if column == key:
                floor = start if floor is None else max(floor, start)
                if end is not None:
                    ceiling = end if ceiling is None else min(ceiling, end)
        return floor, ceiling

    def compile_within(self, span: tuple[str, Any, Any] | None, node: x.Expr) -> C:
        """``node`` for the rows where a date column lies in ``span`` only (the branch an ``If`` takes there)."""
        if span is None:
            return self.compile(node)
        outer = self.within
        self.within = (*outer, span)
        try:
            return self.compile(node)
        finally:
            self.within = outer

    def key(self, node: x.Expr) -> Any:
        """What identifies a node for the compiler: its shape where it has one, else the node itself. Worked out
        once per node (the entry keeps the node alive, so its id cannot be reused by another during the compile)."""
        found = self._keys.get(id(node))
        if found is None or found[0] is not node:
            shape = x.shape(node)
            found = self._keys[id(node)] = (node, node if shape is None else shape)
        return found[1]

    def count_readers(self, roots: list[x.Expr]) -> None:
        """Note how many distinct formulas read each node, so that ``compile`` computes shared ones once."""
        seen: set[Any] = set()
        pending = list(roots)
        while pending:
            node = pending.pop()
            if self.key(node) in seen:
                continue
            seen.add(self.key(node))
            for child in {self.key(c): c for c in node.children()}.values():
                self.readers[self.key(child)] = self.readers.get(self.key(child), 0) + 1
                pending.append(child)
        for root in roots:
            self.readers[self.key(root)] = self.readers.get(self.key(root), 0) + 1

    def condition(self, node: x.Expr) -> pl.Expr:
        return self.compile(node).expr


# --- leaves ---------------------------------------------------------------------------------------------


def _fact(cx: Compiler, node: x.Fact) -> C:
    spec = vocab.VOCABULARY[node.name]
    kind = x.FACT_KINDS[spec.kind]
    if not cx.profile.has(node.name):  # an absent column is all null: the fact's default, or null
        default = spec.default
        if spec.kind == vocab.SET and default is not None:
            return C(pl.lit(0, dtype=pl.Int64), "set", nullable=False)
        return const(kind, default)
    col = pl.col(node.name)
    complete = node.name in cx.profile.complete
    if spec.kind == vocab.DATE:
        return C(col, "date", mono=bd.DateMap(col), nullable=not complete)
    if spec.kind == vocab.SET:
        return C(col if complete else col.fill_null(0), "set", nullable=False)
    if spec.kind == vocab.CHOICE:
        # Positions in the vocabulary: an Enum's physical value (no copy) or the positions a frame gave.
        codes = tuple(spec.choices or {})
        positions = col.to_physical()
        if spec.default is not None and not complete:
            positions, complete = positions.fill_null(codes.index(spec.default)), True
        return C(positions, kind, nullable=not complete, codes=codes)
    if spec.default is not None:
        col = col if complete else col.fill_null(spec.default)
        complete = True
    nullable = not complete
    if spec.kind == vocab.INT:
        return C(col, "int", 1, spec.minimum, spec.maximum, nullable=nullable)
    if spec.kind == vocab.MONEY:
        return C(col, "num", 100, 0, int(money_limit() * 100), nullable=nullable)
    if spec.kind == vocab.RATE:
        return C(col, "num", RATE_DENOMINATOR, 0, RATE_DENOMINATOR, nullable=nullable)
    return C(col, kind, nullable=nullable)


def _param(cx: Compiler, node: x.Param) -> C:
    return const(node.kind, cx.snapshot.value(node.name))


def _param_on(cx: Compiler, node: x.ParamOn) -> C:
    at = cx.compile(node.at)
    if at.is_const:
        entry = None if at.const is None else cx.snapshot.entry_on(node.name, at.const)
        return const(node.kind, None if entry is None else entry.value)
    entries = cx.snapshot.series[node.name].entries
    if not entries:
        return const(node.kind, None)
    if node.kind in x.NUMERIC and at.mono is not None and not at.mono.ops:
        return _calendar_lookup(cx, at, entries, node.kind)
    # Inside a branch taken on a stretch of these dates: only the entries in force on some of its days.
    floor, ceiling = cx.span_of(day_key(at.expr))
    steps = Steps.of(at.expr, tuple((e.start, e.value) for e in entries), at.nullable, floor, ceiling)
    if steps is None:
        return const(node.kind, None)
    cases = [(steps.since(start), value) for start, value in reversed(steps.entries)]
    found = _lookup(node.kind, [(pl.lit(True) if test is None else test, value) for test, value in cases])
    return C(found.expr, found.kind, found.denom, found.lo, found.hi, steps=steps)


def _calendar_lookup(cx: Compiler, at: C, entries: tuple[Any, ...], kind: str) -> C:
    """A numeric parameter on each row's date: the value in force, one gather from a table over the calendar."""
    den = math.lcm(*(Fraction(e.value).denominator for e in entries))
    scaled = [int(Fraction(e.value) * den) for e in entries]
    numbers, valid = bd.step_arrays(tuple(e.start for e in entries), tuple(scaled))
    base = at.expr
    key = day_key(base)
    floor, ceiling = cx.span_of(key)
    if floor is not None:
        # Only read where the date lies in [floor, ceiling): one value in force over those days is a constant.
        days = bd.positions(floor, ceiling)
        if days.stop > days.start and valid[days].all():
            if (numbers[days] == numbers[days.start]).all():
                return const(kind, Fraction(int(numbers[days.start]), den))
            numbers, valid = bd.held_outside(numbers, days)  # never read outside those days: no nulls needed
    index_nullable = cx.index_nullable(base, at.nullable)
    return Tab(key, lambda: cx.day_index(base), index_nullable, numbers, valid).value(kind, den)


def _param_for(cx: Compiler, node: x.ParamFor) -> C:
    if not isinstance(node.key, x.Fact):
        raise TypeError("ParamFor is keyed by a code fact")
    values = {code: cx.snapshot.value(f"{node.prefix}.{code}") for code in node.keys}
    present = [v for v in values.values() if v is not None]
    if not present:
        return const(node.kind, None)
    key = cx.compile(node.key)
    if key.is_const:
        return const(node.kind, None if key.const is None else values.get(key.const))
    choices = list(vocab.VOCABULARY[node.key.name].choices or {})
    if key.codes != tuple(choices):
        raise TypeError("ParamFor is keyed by a code fact's positions")
    column = key.expr
    if node.kind not in x.NUMERIC:
        at = {code: i for i, code in enumerate(choices)}
        return _lookup(node.kind, [(column == at[code], v) for code, v in values.items() if v is not None])
    den = math.lcm(*(Fraction(v).denominator for v in present))
    by_code = {code: int(Fraction(v) * den) for code, v in values.items() if v is not None}
    numbers = np.array([by_code.get(c, 0) for c in choices], dtype=np.int64)
    valid = np.array([c in by_code for c in choices])
    # The key's position indexes the per-code values (null where a code has none). As a table (``Tab``),
    # scaling it to another denominator happens on the table.
    return Tab(f"code:{node.key.name}:{column}", lambda: column, key.nullable, numbers, valid).value(node.kind, den)


def _lookup(kind: str, cases: list[tuple[pl.Expr, Any]]) -> C:
    """A per-row choice among constants: the first case whose condition holds, else null."""
    if not cases:
        return const(kind, None)
    den, lo, hi = 1, 0, 0
    if kind in x.NUMERIC:
        den = math.lcm(*(Fraction(v).denominator for _, v in cases))
        cases = [(cond, int(Fraction(v) * den)) for cond, v in cases]
        lo, hi = min(v for _, v in cases), max(v for _, v in cases)
    literal: Callable[[Any], pl.Expr] = lit_int if kind in x.NUMERIC else pl.lit
    expr: Any = pl.when(cases[0][0]).then(literal(cases[0][1]))
    for cond, value in cases[1:]:
        expr = expr.when(cond).then(literal(value))
    return C(expr.otherwise(None), kind, den, lo, hi)


def _const_node(cx: Compiler, node: x.Const) -> C:
    return const(node.kind, node.value)


def _today(cx: Compiler, node: x.Today) -> C:
    return const("date", cx.on)


# --- comparisons and logic ------------------------------------------------------------------------------

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _compare(cx: Compiler, node: x.Compare) -> C:
    shifted = _shift_constant(cx, node)
    if shifted is not None:
        return _compare(cx, shifted)
    a, b = cx.compile(node.left), cx.compile(node.right)
    op = node.op
    if a.is_const and b.is_const:
        return const("bool", None if a.const is None or b.const is None else _OPS[op](a.const, b.const))
    if (a.is_const and a.const is None) or (b.is_const and b.const is None):
        return const("bool", None)
    if op in ("==", "!=") and a.steps is not None and b.is_const:
        always = a.steps.always(b.const)
        if always is not None:  # the same value on every day the rows lie in
            return const("bool", always if op == "==" else not always)
        equal = a.steps.equals(b.const)
        if op == "==":
            span, other = a.steps.span(b.const), a.steps.span_otherwise(b.const)
            return C(equal, "bool", true_where=a.steps.matches(b.const), within=span, otherwise_within=other)
        return C(~equal, "bool")
    nullable = a.nullable or b.nullable
    if a.kind == "date":
        if b.is_const and a.mono is not None:
            return C(a.mono.compare(op, b.const), "bool", nullable=nullable)
        if a.is_const and b.mono is not None:
            return C(b.mono.compare(_FLIP[op], a.const), "bool", nullable=nullable)
    if a.kind in x.NUMERIC:
        pair = align(a, b)
        return C(_OPS[op](pair.left, pair.right), "bool", nullable=nullable)
    if a.codes is not None or b.codes is not None:
        left, right, _ = code_pair(a, b, ordered=op not in ("==", "!="))
        return C(_OPS[op](left, right), "bool", nullable=nullable)
    return C(_OPS[op](a.expr, b.expr), "bool", nullable=nullable)


def _shift_constant(cx: Compiler, node: x.Compare) -> x.Compare | None:
    """``(v ± c) op k`` as ``v op (k ∓ c)`` when ``c`` and ``k`` are known numbers: one column operation fewer.
    Exact (rational arithmetic), and a null ``v`` still gives null."""
    left, right, op = node.left, node.right, node.op
    if not isinstance(left, x.Arith):
        left, right, op = right, left, _FLIP[op]
    if not isinstance(left, x.Arith) or left.op not in ("+", "-"):
        return None
    limit, offset = cx.compile(right), cx.compile(left.right)
    if not (limit.is_const and offset.is_const) or limit.const is None or offset.const is None:
        return None
    step = Fraction(offset.const) if left.op == "+" else -Fraction(offset.const)
    moved = Fraction(limit.const) - step
    return x.Compare(op, left.left, x.Const(moved, right.kind))


def _all_of(cx: Compiler, node: x.AllOf) -> C:
    return _kleene(cx, node.items, decisive=False)


def _any_of(cx: Compiler, node: x.AnyOf) -> C:
    return _kleene(cx, node.items, decisive=True)


def _kleene(cx: Compiler, nodes: tuple[x.Expr, ...], *, decisive: bool) -> C:
    """Three-valued AND (``decisive`` False) or OR (True) of conditions: one item equal to ``decisive`` decides;
    otherwise null if any is null. Constant items are folded at compile time."""
    items = [cx.compile(n) for n in nodes]
    if any(c.is_const and c.const is decisive for c in items):
        return const("bool", decisive)
    unknown = any(c.is_const and c.const is None for c in items)
    columns = [c for c in items if not c.is_const]
    if not columns:
        return const("bool", None if unknown else not decisive)
    if unknown:  # null unless a column item decides: the same as the column items combined with null
        columns.append(const("bool", None))
    if len(columns) == 1:
        return columns[0]
    exprs = [c.expr for c in columns]
    # all_horizontal / any_horizontal use three-valued logic, as ``&`` and ``|`` do.
    combined = pl.any_horizontal(exprs) if decisive else pl.all_horizontal(exprs)
    # Where every item holds, so does each: the days one of them implies (the first that implies any).
    within = None if decisive else next((c.within for c in columns if c.within is not None), None)
    return C(combined, "bool", nullable=any(c.nullable for c in columns), within=within)


def _not(cx: Compiler, node: x.Not) -> C:
    item = cx.compile(node.item)
    if item.is_const:
        return const("bool", None if item.const is None else not item.const)
    return C(~item.expr, "bool", nullable=item.nullable)


def _has_any(cx: Compiler, node: x.HasAny) -> C:
    members = node.members
    if not isinstance(members, x.Fact):
        raise TypeError("HasAny reads a set fact")
    bits = SET_BITS[members.name]
    mask = sum(bits[code] for code in node.codes)
    pool = cx.compile(members)
    if mask == sum(bits.values()):  # any code of the vocabulary at all: a set column holds no other bits
        return C(pool.expr != 0, "bool", nullable=pool.nullable)
    return C((pool.expr & mask) != 0, "bool", nullable=pool.nullable)


def _contains(cx: Compiler, node: x.Contains) -> C:
    pool, item = cx.compile(node.members), cx.compile(node.item)
    if pool.is_const:
        if pool.const is None:
            return const("bool", None)
        if item.is_const:
            return const("bool", None if item.const is None else item.const in pool.const)
        choices = vocab.VOCABULARY[node.item.name].choices if isinstance(node.item, x.Fact) else None
        if choices and not item.nullable and set(choices) <= set(pool.const):
            return const("bool", True)  # every code is in the set and every row has a code
        if item.codes is None:
            return C(item.expr.is_in(sorted(pool.const)), "bool", nullable=item.nullable)
        inside = [i for i, code in enumerate(item.codes) if code in pool.const]  # the set's positions
        return C(item.expr.is_in(inside), "bool", nullable=item.nullable)
    if item.is_const and item.const is None:
        return const("bool", None)
    if not isinstance(node.members, x.Fact) or not isinstance(node.item, x.Fact):
        raise TypeError("Contains reads a code fact in a set fact or a set parameter")
    bits = SET_BITS[node.members.name]
    if item.is_const:
        bit = lit_int(bits.get(item.const, 0))
    else:
        # The item's position indexes a table of the corresponding bits.
        choices = vocab.VOCABULARY[node.item.name].choices or {}
        if item.codes != tuple(choices):
            raise TypeError("Contains reads a code fact's positions")
        bit = pl.lit(pl.Series([bits.get(code, 0) for code in choices], dtype=pl.Int64)).gather(item.expr)
    return C((pool.expr & bit) != 0, "bool", nullable=pool.nullable or item.nullable)


def _present(cx: Compiler, node: x.Present) -> C:
    c = cx.compile(node.item)
    if c.is_const:
        return const("bool", c.const is not None)
    if c.steps is not None:
        if c.steps.everywhere:
            return const("bool", True)
        # Where a value is in force, the date is on or after the first entry's start.
        within = (day_key(c.steps.at), c.steps.entries[0][0], c.steps.ceiling)
        return C(c.steps.present(), "bool", nullable=False, within=within)
    if not c.nullable:
        return const("bool", True)
    return C(c.expr.is_not_null(), "bool", nullable=False)


def _partner_count(cx: Compiler, node: x.PartnerCount) -> C:
    if not cx.profile.has("partners"):
        return const("int", None)
    return C(pl.col("partners").list.len().cast(pl.Int64), "int", 1, 0, vocab.MAX_PARTNERS)


def _all_partners(cx: Compiler, node: x.AllPartners) -> C:
    if not cx.profile.has("partners"):
        return const("bool", None)  # no partners at all: unknown, as for an empty list
    name = cx.columns.get(node)
    if name is None:
        raise LookupError("partner results must be attached before compiling (see batch.evaluate_batch)")
    return C(pl.col(name), "bool")


_RULES: dict[type, Callable[[Compiler, Any], C]] = {
    x.Fact: _fact,
    x.Param: _param,
    x.ParamOn: _param_on,
    x.ParamFor: _param_for,
    x.Const: _const_node,
    x.Today: _today,
    x.Compare: _compare,
    x.AllOf: _all_of,
    x.AnyOf: _any_of,
    x.Not: _not,
    x.HasAny: _has_any,
    x.Contains: _contains,
    x.Present: _present,
    x.Arith: plnumbers.arith,
    x.DivBy: plnumbers.div_by,
    x.Smallest: plnumbers.pick(smallest=True),
    x.Largest: plnumbers.pick(smallest=False),
    x.If: plnumbers.choose,
    x.Coalesce: plnumbers.coalesce,
    x.AddMonths: pldates.add_months,
    x.RetirementDate: pldates.retirement,
    x.PartnerCount: _partner_count,
    x.AllPartners: _all_partners,
}
