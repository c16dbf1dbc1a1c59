"""The per-person evaluator: each rule tree is turned once into nested Python closures over an ``Env``.

Turning the tree into closures (instead of walking it on every call) keeps one decision in the tens of
microseconds. Values are Python values: bool, int, ``Fraction`` (money and rates, exact), date, str, frozenset;
None is null, with the semantics documented in ``expr``.
"""

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from chuangye.core.dates import add_months
from chuangye.core.retirement import category_for, retirement_date
from chuangye.policies import expr as x
from chuangye.policies.params import Entry, Snapshot

Fn = Callable[["Env"], Any]


class Env:
    """What one evaluation reads: the facts, the parameter snapshot, and a record of the parameters used.
    ``memo`` keeps calendar results for these facts, which several criteria and reasons read."""

    __slots__ = ("memo", "on", "snapshot", "used", "values")

    def __init__(self, values: Mapping[str, Any], snapshot: Snapshot, used: dict[Any, Entry | None]) -> None:
        self.values = values
        self.snapshot = snapshot
        self.on: dt.date = snapshot.on
        self.used = used
        self.memo: dict[x.Expr, Any] = {}


_COMPARE = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_compiled: dict[x.Expr, Fn] = {}


def compile_py(node: x.Expr) -> Fn:
    """The closure computing ``node`` for one person (cached per node)."""
    fn = _compiled.get(node)
    if fn is None:
        fn = _compiled[node] = _BUILDERS[type(node)](node)
    return fn


def _fact(node: x.Fact) -> Fn:
    name = node.name
    return lambda env: env.values[name]


def _param(node: x.Param) -> Fn:
    name = node.name

    def fn(env: Env) -> Any:
        entry = env.snapshot.entry(name)
        env.used.setdefault((name, None), entry)
        return None if entry is None else entry.value

    return fn


def _param_on(node: x.ParamOn) -> Fn:
    name, at = node.name, compile_py(node.at)

    def fn(env: Env) -> Any:
        day = at(env)
        if day is None:
            return None
        entry = env.snapshot.entry_on(name, day)
        env.used.setdefault((name, day), entry)
        return None if entry is None else entry.value

    return fn


def _param_for(node: x.ParamFor) -> Fn:
    prefix, key_fn, keys = node.prefix, compile_py(node.key), frozenset(node.keys)

    def fn(env: Env) -> Any:
        key = key_fn(env)
        if key not in keys:
            return None
        name = f"{prefix}.{key}"
        entry = env.snapshot.entry(name)
        env.used.setdefault((name, None), entry)
        return None if entry is None else entry.value

    return fn


def _const(node: x.Const) -> Fn:
    value = node.value
    return lambda env: value


def _today(node: x.Today) -> Fn:
    return lambda env: env.on


def _compare(node: x.Compare) -> Fn:
    op, left, right = _COMPARE[node.op], compile_py(node.left), compile_py(node.right)

    def fn(env: Env) -> bool | None:
        a, b = left(env), right(env)
        return None if a is None or b is None else op(a, b)

    return fn


def kleene_all(values: list[Any]) -> bool | None:
    if False in values:
        return False
    return None if None in values else True


def kleene_any(values: list[Any]) -> bool | None:
    if True in values:
        return True
    return None if None in values else False


def _all_of(node: x.AllOf) -> Fn:
    items = [compile_py(i) for i in node.items]
    # Every item is evaluated (no short cut) so the trace lists every parameter the rule depends on.
    return lambda env: kleene_all([f(env) for f in items])


def _any_of(node: x.AnyOf) -> Fn:
    items = [compile_py(i) for i in node.items]
    return lambda env: kleene_any([f(env) for f in items])


def _not(node: x.Not) -> Fn:
    item = compile_py(node.item)

    def fn(env: Env) -> bool | None:
        value = item(env)
        return None if value is None else not value

    return fn


def _has_any(node: x.HasAny) -> Fn:
    members, codes = compile_py(node.members), node.codes

    def fn(env: Env) -> bool | None:
        value = members(env)
        return None if value is None else not codes.isdisjoint(value)

    return fn


def _contains(node: x.Contains) -> Fn:
    members, item = compile_py(node.members), compile_py(node.item)

    def fn(env: Env) -> bool | None:
        pool, code = members(env), item(env)
        return None if pool is None or code is None else code in pool

    return fn


def _arith(node: x.Arith) -> Fn:
    op, left, right = _ARITH[node.op], compile_py(node.left), compile_py(node.right)

    def fn(env: Env) -> Any:
        a, b = left(env), right(env)
        return None if a is None or b is None else op(a, b)

    return fn


def _div_by(node: x.DivBy) -> Fn:
    left, right = compile_py(node.left), compile_py(node.right)

    def fn(env: Env) -> Any:
        a, b = left(env), right(env)
        return None if a is None or b is None else Fraction(a) / b

    return fn


def _pick(chooser: Callable[[Any, Any], Any]) -> Callable[[x.Smallest], Fn]:
    def build(node: x.Smallest) -> Fn:
        left, right = compile_py(node.left), compile_py(node.right)

        def fn(env: Env) -> Any:
            a, b = left(env), right(env)
            return None if a is None or b is None else chooser(a, b)

        return fn

    return build


def _if(node: x.If) -> Fn:
    cond, then, otherwise = compile_py(node.cond), compile_py(node.then), compile_py(node.otherwise)
    return lambda env: then(env) if cond(env) is True else otherwise(env)


def _coalesce(node: x.Coalesce) -> Fn:
    first, second = compile_py(node.first), compile_py(node.second)

    def fn(env: Env) -> Any:
        value = first(env)
        return second(env) if value is None else value

    return fn


def _present(node: x.Present) -> Fn:
    item = compile_py(node.item)
    return lambda env: item(env) is not None


def _add_months(node: x.AddMonths) -> Fn:
    date, months = compile_py(node.date), compile_py(node.months)

    def fn(env: Env) -> dt.date | None:
        day, count = date(env), months(env)
        return None if day is None or count is None else add_months(day, int(count))

    return _memoised(node, fn)


def _retirement(node: x.RetirementDate) -> Fn:
    birth, sex = compile_py(node.birth), compile_py(node.sex)

    def fn(env: Env) -> dt.date | None:
        day, code = birth(env), sex(env)
        return None if day is None or code is None else retirement_date(day, category_for(code))

    return _memoised(node, fn)


def _memoised(node: x.Expr, fn: Fn) -> Fn:
    """Calendar results are computed once per person: criteria and their reasons read them repeatedly.
    Parameters read on the way are recorded again on a cached read, so every criterion's trace is complete."""
    params = [n.name for n in x.walk(node) if isinstance(n, x.Param)]
    if any(isinstance(n, x.ParamOn | x.ParamFor) for n in x.walk(node)):
        return fn  # their reads depend on other facts' values; not worth caching

    def cached(env: Env) -> Any:
        memo = env.memo
        if node in memo:
            for name in params:
                env.used.setdefault((name, None), env.snapshot.entry(name))
            return memo[node]
        value = memo[node] = fn(env)
        return value

    return cached


def _partner_count(node: x.PartnerCount) -> Fn:
    def fn(env: Env) -> int | None:
        partners = env.values["partners"]
        return None if partners is None else len(partners)

    return fn


def _all_partners(node: x.AllPartners) -> Fn:
    test = compile_py(node.test)

    def fn(env: Env) -> bool | None:
        partners = env.values["partners"]
        if not partners:
            return None
        return kleene_all([test(Env(p.values, env.snapshot, env.used)) for p in partners])

    return fn


_BUILDERS: dict[type, Callable[[Any], Fn]] = {
    x.Fact: _fact,
    x.Param: _param,
    x.ParamOn: _param_on,
    x.ParamFor: _param_for,
    x.Const: _const,
    x.Today: _today,
    x.Compare: _compare,
    x.AllOf: _all_of,
    x.AnyOf: _any_of,
    x.Not: _not,
    x.HasAny: _has_any,
    x.Contains: _contains,
    x.Arith: _arith,
    x.DivBy: _div_by,
    x.Smallest: _pick(min),
    x.Largest: _pick(max),
    x.If: _if,
    x.Coalesce: _coalesce,
    x.Present: _present,
    x.AddMonths: _add_months,
    x.RetirementDate: _retirement,
    x.PartnerCount: _partner_count,
    x.AllPartners: _all_partners,
}
