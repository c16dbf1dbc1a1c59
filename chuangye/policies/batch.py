"""The batch evaluator: the catalogue's rules over a whole population frame at once.

The population frame has one column per fact, named as in the facts vocabulary, typed as ``SCHEMA`` says:
dates ``Date``; booleans ``Boolean``; counts ``Int64``; money ``Int64`` in 分 (a ``Decimal`` column is converted);
rates ``Int64`` in millionths; codes ``Enum`` in vocabulary order (``String`` is converted; an integer column
is taken as positions in the vocabulary, 0 for its first code, and used as it is); code sets
(``key_groups``, ``previously_subsidised_courses``) ``Int64`` bit masks in vocabulary order, no other bits set
(a ``List(String)`` column is converted); ``partners`` a list of structs of partner facts. Missing columns are
treated as all-null. ``facts_frame`` builds such a frame from facts.

Results: ``eligible`` (Boolean, never null) and ``amount_fen`` (Int64 分; null when not eligible or when no
amount applies) — the same decisions and amounts as ``evaluate.evaluate`` gives person by person.
"""

import functools
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import polars as pl

from chuangye.policies import expr as x
from chuangye.policies import facts as vocab
from chuangye.policies import plnumbers
from chuangye.policies.params import Snapshot
from chuangye.policies.plcompile import SET_BITS, Compiler
from chuangye.policies.plprofile import Profile
from chuangye.policies.plvalues import RATE_DENOMINATOR, position_dtype
from chuangye.policies.policy import Policy

_DTYPES: dict[str, pl.DataType] = {
    vocab.DATE: pl.Date(),
    vocab.BOOL: pl.Boolean(),
    vocab.INT: pl.Int64(),
    vocab.MONEY: pl.Int64(),
    vocab.RATE: pl.Int64(),
    vocab.SET: pl.Int64(),
}


def _dtype(spec: vocab.FactSpec) -> pl.DataType:
    # Codes are an Enum in vocabulary order: comparisons and look-ups then work on small integers.
    return pl.Enum(list(spec.choices or {})) if spec.kind == vocab.CHOICE else _DTYPES[spec.kind]


PERSON_SCHEMA: dict[str, pl.DataType] = {
    s.name: _dtype(s) for s in vocab.VOCABULARY.values() if s.kind != vocab.PARTNERS
}
SCHEMA: dict[str, pl.DataType] = {**PERSON_SCHEMA, "partners": pl.List(pl.Struct(PERSON_SCHEMA))}


def _batch_value(kind: str, name: str, value: Any) -> Any:
    if kind == vocab.MONEY:
        return int(Fraction(value) * 100)
    if kind == vocab.RATE:
        return int(Fraction(value) * RATE_DENOMINATOR)
    if kind == vocab.SET:
        bits = SET_BITS[name]
        return sum(bits[code] for code in value)
    return value


def batch_row(facts: vocab.Facts) -> dict[str, Any]:
    """One frame row from checked facts: only what was given (defaults are applied by the compiled rules)."""
    row: dict[str, Any] = dict.fromkeys(SCHEMA)
    for name in facts.provided:
        spec = vocab.VOCABULARY[name]
        value = facts.values[name]
        if spec.kind == vocab.PARTNERS:
            row[name] = [{k: v for k, v in batch_row(p).items() if k != "partners"} for p in value]
        else:
            row[name] = _batch_value(spec.kind, name, value)
    return row


def facts_frame(items: Iterable[vocab.Facts | Mapping[str, Any]]) -> pl.DataFrame:
    """A population frame from facts (checked ``Facts`` or raw JSON objects, which are checked here)."""
    rows = [batch_row(i if isinstance(i, vocab.Facts) else vocab.parse_facts(i)) for i in items]
    return pl.DataFrame(rows, schema=SCHEMA, orient="row") if rows else pl.DataFrame(schema=SCHEMA)


_CONVERTIBLE = frozenset({vocab.MONEY, vocab.CHOICE, vocab.SET})


def prepare(
    frame: pl.DataFrame, schema: Mapping[str, pl.DataType] = SCHEMA, *, add_missing: bool = True
) -> pl.DataFrame:
    """Convert the accepted alternative types (Decimal, List(String)) and, with ``add_missing``, add missing fact
    columns as nulls. (The evaluators compile an absent column as all-null and do not need it added.)"""
    fixes: list[pl.Expr | pl.Series] = []
    present = set(frame.columns)
    for name, dtype in schema.items():
        if name not in present:
            if add_missing:
                fixes.append(pl.lit(None, dtype=dtype).alias(name))
            continue
        kind = vocab.VOCABULARY[name].kind
        if kind not in _CONVERTIBLE:
            continue
        # Only these kinds have alternative forms; a column's type is read on its own (the frame's whole schema
        # is built anew, one Python type object per column, on every access).
        column = frame.get_column(name)
        actual = column.dtype
        if kind == vocab.MONEY and isinstance(actual, pl.Decimal):
            fixes.append((pl.col(name) * 100).cast(pl.Int64).alias(name))
        elif kind == vocab.CHOICE and actual.is_integer():
            fixes.extend(_positions(column))
        elif kind == vocab.CHOICE and actual != dtype:
            fixes.append(_codes_from_text(column, dtype))
        elif kind == vocab.SET and isinstance(actual, pl.List):
            bits = SET_BITS[name]
            mask = pl.col(name).list.unique().list.eval(pl.element().replace_strict(bits, return_dtype=pl.Int64))
            fixes.append(mask.list.sum().alias(name))
    return frame.with_columns(fixes) if fixes else frame


def _positions(column: pl.Series) -> list[pl.Expr]:
    """A code column given as positions in the vocabulary: checked to be positions, and cast to the type an
    Enum of the vocabulary has physically if it is another integer type (nothing to do if it is that type)."""
    spec = vocab.VOCABULARY[column.name]
    codes = tuple(spec.choices or {})
    # An unsigned column cannot hold a negative position: only its largest value needs reading.
    low = 0 if column.dtype.is_unsigned_integer() else int(column.min() or 0)  # type: ignore[arg-type]
    high = int(column.max() or 0)  # type: ignore[arg-type]
    if low < 0 or high >= len(codes):
        raise ValueError(
            f"{spec.label}（{column.name}）：代码序号须在 0 到 {len(codes) - 1} 之间，实际有 {low} 到 {high}"
        )
    dtype = position_dtype(codes)
    return [] if column.dtype == dtype else [pl.col(column.name).cast(dtype)]


def _codes_from_text(column: pl.Series, dtype: pl.DataType) -> pl.Series:
    """A code column given as text (or another categorical type) as the vocabulary's Enum. A code outside the
    vocabulary is refused, naming the field, as ``parse_facts`` refuses it for one person (never a silent null)."""
    spec = vocab.VOCABULARY[column.name]
    text = column.cast(pl.String)
    unknown = text.filter(text.is_not_null() & ~text.is_in(list(spec.choices or {}))).unique().sort()
    if len(unknown):
        shown = "、".join(unknown.head(5).to_list())
        raise ValueError(f"{spec.label}（{column.name}）：不是可选的代码：{shown}")
    return text.cast(dtype)


def _partner_tests(policies: Sequence[Policy]) -> list[x.AllPartners]:
    return list(_partner_tests_of(tuple(policies)))


@functools.lru_cache(maxsize=64)
def _partner_tests_of(policies: tuple[Policy, ...]) -> tuple[x.AllPartners, ...]:
    found: dict[x.AllPartners, None] = {}
    for policy in policies:
        for criterion in policy.criteria:
            for node in x.walk(criterion.test):
                if isinstance(node, x.AllPartners):
                    found.setdefault(node, None)
    return tuple(found)


def _attach_partner_results(
    frame: pl.DataFrame, tests: list[x.AllPartners], snapshot: Snapshot
) -> tuple[pl.DataFrame, dict[x.Expr, str]]:
    """Evaluate each partner test on every partner (one row per partner) and fold back, three-valued:
    any partner failing → False; else any unknown → null; else True. No partners → null."""
    if not tests:
        return frame, {}
    indexed = frame.select(pl.col("partners")).with_row_index("__row")
    people = indexed.explode("partners").select("__row", pl.col("partners").struct.unnest())
    people = prepare(people, PERSON_SCHEMA, add_missing=False)
    compiler = Compiler(snapshot, profile=Profile.of(people))
    names: dict[x.Expr, str] = {}
    for i, test in enumerate(tests):
        name = names[test] = f"__partners_ok_{i}"
        ok = compiler.run(people, [pl.col("__row"), compiler.condition(test.test).alias("ok")])
        counts = ok.group_by("__row").agg(
            (pl.col("ok") == False).sum().alias("failed"),  # noqa: E712 - a Polars expression, not Python
            pl.col("ok").is_null().sum().alias("unknown"),
        )
        folded = pl.when(pl.col("failed") > 0).then(False).when(pl.col("unknown") > 0).then(None).otherwise(True)
        result = indexed.join(counts.select("__row", folded.alias(name)), on="__row", how="left", maintain_order="left")
        none = pl.col("partners").list.len().fill_null(0) == 0
        frame = frame.with_columns(pl.when(none).then(None).otherwise(result.get_column(name)).alias(name))
    return frame, names


def compile_policy(
    policy: Policy, compiler: Compiler, *, prefix: str = "", earlier: dict[frozenset[Any], pl.Expr] | None = None
) -> list[pl.Expr]:
    """The output expressions for one policy: ``<prefix>eligible`` and ``<prefix>amount_fen``.

    ``earlier`` maps the criteria of policies compiled before in the same plan to their eligibility columns. A
    policy whose criteria include all of an earlier one's (the waiver includes the individual loan's) reuses
    that column: "every criterion met" splits into "the earlier ones met" and "the rest met"."""
    own = frozenset(policy.criteria)
    base, rest = _split(policy, earlier or {})
    # Three-valued AND of the criteria; unknown counts as not met.
    parts = [] if base is None else [(earlier or {})[base]]
    span = None  # days a date column lies in wherever the policy's own criteria hold
    if rest:
        test = x.AllOf(tuple(c.test for c in rest)) if len(rest) > 1 else rest[0].test
        compiled = compiler.compile(test)
        parts.append(compiler.fill_false(compiled))
        span = compiled.within
    eligible = parts[0] if len(parts) == 1 else pl.all_horizontal(parts)
    if earlier is not None or policy.amount is not None:
        # Read again: computed once, as an intermediate column (written in place if nothing does, see _compiled).
        eligible = compiler.share(eligible, ("eligible", policy.code))
    if earlier is not None:
        earlier.setdefault(own, eligible)
    if policy.amount is None:
        amount = pl.lit(None, dtype=pl.Int64)
    else:
        # Read only where eligible: compiled for the days the criteria imply (the interest subsidy's contract
        # dates from the first regime on, so the regimes' own date tests shrink or fold away).
        amount = pl.when(eligible).then(plnumbers.amount_fen(compiler, policy.amount, span)).otherwise(None)
    return [eligible.alias(f"{prefix}eligible"), amount.alias(f"{prefix}amount_fen")]


def _split(policy: Policy, earlier: Iterable[frozenset[Any]]) -> tuple[frozenset[Any] | None, list[Any]]:
    """The largest earlier group of criteria that ``policy`` includes (None if none), and its other criteria."""
    own = frozenset(policy.criteria)
    base = max((group for group in earlier if len(group) > 1 and group <= own), key=len, default=None)
    return base, [c for c in policy.criteria if base is None or c not in base]


def evaluate_batch(policy: Policy, frame: pl.DataFrame, snapshot: Snapshot, *, criteria: bool = False) -> pl.DataFrame:
    """Decide ``policy`` for every row of ``frame`` on ``snapshot.on``: columns ``eligible``, ``amount_fen``
    (and, with ``criteria``, one Boolean column per criterion code)."""
    return _evaluate([policy], frame, snapshot, criteria=criteria, prefixed=False)


def evaluate_policies(policies: Sequence[Policy], frame: pl.DataFrame, snapshot: Snapshot) -> pl.DataFrame:
    """Several policies over one frame in one pass: columns ``<code>.eligible`` and ``<code>.amount_fen``."""
    return _evaluate(policies, frame, snapshot, criteria=False, prefixed=True)


def _evaluate(
    policies: Sequence[Policy], frame: pl.DataFrame, snapshot: Snapshot, *, criteria: bool, prefixed: bool
) -> pl.DataFrame:
    frame = prepare(frame, add_missing=False)
    if "partners" in frame.columns:
        frame, _ = _attach_partner_results(frame, _partner_tests(policies), snapshot)
    profile = Profile.of(frame)
    compiler, outputs = _compiled(tuple(policies), snapshot, profile, criteria=criteria, prefixed=prefixed)
    return compiler.run(frame, outputs)


_PLANS: OrderedDict[Any, tuple[Compiler, list[pl.Expr]]] = OrderedDict()
_PLAN_CACHE_SIZE = 64
_PLANS_LOCK = threading.Lock()


def _compiled(
    policies: tuple[Policy, ...], snapshot: Snapshot, profile: Profile, *, criteria: bool, prefixed: bool
) -> tuple[Compiler, list[pl.Expr]]:
    """The compiled expressions for these policies and parameters. Compiling depends only on the rules, the
    snapshot's values and the frame's profile, so a repeated scan (another chunk, another run) reuses the plan."""
    # The policies themselves (hashed by identity), not their ids: the cache keeps them alive, so an id can never
    # be reused by another policy while its plan is cached.
    key = (policies, snapshot.fingerprint(), profile, criteria, prefixed)
    with _PLANS_LOCK:
        found = _PLANS.get(key)
        if found is not None:
            _PLANS.move_to_end(key)
            return found
    compiler, outputs = _compile(policies, snapshot, profile, criteria=criteria, prefixed=prefixed)
    once = compiler.read_once(outputs)
    if once:  # compiled again with the intermediate columns read only once written in place (see Compiler.derive)
        compiler, outputs = _compile(policies, snapshot, profile, criteria=criteria, prefixed=prefixed, inline=once)
    with _PLANS_LOCK:
        _PLANS[key] = (compiler, outputs)
        if len(_PLANS) > _PLAN_CACHE_SIZE:
            _PLANS.popitem(last=False)
    return compiler, outputs


def _compile(
    policies: tuple[Policy, ...],
    snapshot: Snapshot,
    profile: Profile,
    *,
    criteria: bool,
    prefixed: bool,
    inline: frozenset[Any] = frozenset(),
) -> tuple[Compiler, list[pl.Expr]]:
    columns: dict[x.Expr, str] = {test: f"__partners_ok_{i}" for i, test in enumerate(_partner_tests(policies))}
    compiler = Compiler(snapshot, columns, profile, inline)
    roots: list[x.Expr] = []
    groups: list[frozenset[Any]] = []
    for policy in policies:  # what compile_policy will compile: a formula read twice is then computed once
        _, rest = _split(policy, groups if len(policies) > 1 else [])
        roots += [c.test for c in (policy.criteria if criteria else rest)]
        roots += [] if policy.amount is None else [policy.amount]
        groups.append(frozenset(policy.criteria))
    compiler.count_readers(roots)
    outputs = []
    earlier: dict[frozenset[Any], pl.Expr] | None = {} if len(policies) > 1 else None
    for policy in policies:
        outputs += compile_policy(policy, compiler, prefix=f"{policy.code}." if prefixed else "", earlier=earlier)
        if criteria:
            outputs += [compiler.fill_false(compiler.compile(c.test)).alias(c.code) for c in policy.criteria]
    return compiler, outputs
