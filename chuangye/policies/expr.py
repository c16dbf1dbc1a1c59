"""The rule language: a small tree of typed expressions that policies are written in.

Nodes are plain data. Two evaluators read the same trees: ``pyeval`` (one person, Python values, with a trace)
and ``plcompile`` (a whole population, Polars expressions). Semantics both follow:

* a missing fact is null; comparisons and arithmetic with null give null; ``&``/``|``/``~`` use three-valued
  (Kleene) logic, so ``null | True`` is True and ``null & False`` is False; a criterion that ends null fails;
* ``If`` with a null condition takes the ``otherwise`` branch; ``Smallest``/``Largest`` of a null are null;
* numbers are exact: money and rates are rationals (``Fraction`` per person, integers over a fixed denominator in
  batch), never floats; the final amount is rounded half-up to the 分 once, by the evaluator.

Kinds: bool, int, num (exact rational), date, str, set (of codes), partners.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chuangye.policies import facts as vocab
from chuangye.policies.params import parameter_spec

FACT_KINDS = {
    vocab.DATE: "date",
    vocab.BOOL: "bool",
    vocab.INT: "int",
    vocab.MONEY: "num",
    vocab.RATE: "num",
    vocab.CHOICE: "str",
    vocab.SET: "set",
    vocab.PARTNERS: "partners",
}
NUMERIC = frozenset({"int", "num"})


class Expr:
    """Base of every node. Operators build nodes, so policies read like arithmetic and logic."""

    kind: str = ""

    def children(self) -> tuple["Expr", ...]:
        return ()

    def __lt__(self, other: Any) -> "Expr":
        return Compare("<", self, lift(other))

    def __le__(self, other: Any) -> "Expr":
        return Compare("<=", self, lift(other))

    def __gt__(self, other: Any) -> "Expr":
        return Compare(">", self, lift(other))

    def __ge__(self, other: Any) -> "Expr":
        return Compare(">=", self, lift(other))

    def equals(self, other: Any) -> "Expr":
        return Compare("==", self, lift(other))

    def __add__(self, other: Any) -> "Expr":
        return Arith("+", self, lift(other))

    def __sub__(self, other: Any) -> "Expr":
        return Arith("-", self, lift(other))

    def __mul__(self, other: Any) -> "Expr":
        return Arith("*", self, lift(other))

    def __rmul__(self, other: Any) -> "Expr":
        return Arith("*", lift(other), self)

    def __truediv__(self, other: Any) -> "Expr":
        return DivBy(self, lift(other))

    def __and__(self, other: Any) -> "Expr":
        return AllOf((self, lift(other)))

    def __or__(self, other: Any) -> "Expr":
        return AnyOf((self, lift(other)))

    def __invert__(self) -> "Expr":
        return Not(self)


def lift(value: Any) -> Expr:
    """Wrap a Python constant as a node (ints stay int; Fractions are exact numbers)."""
    if isinstance(value, Expr):
        return value
    if isinstance(value, bool):
        return Const(value, "bool")
    if isinstance(value, int):
        return Const(value, "int")
    if isinstance(value, Fraction):
        return Const(value, "num")
    if isinstance(value, dt.date):
        return Const(value, "date")
    if isinstance(value, str):
        return Const(value, "str")
    raise TypeError(f"cannot use {value!r} in a rule")


def _numeric_kind(*nodes: Expr) -> str:
    for node in nodes:
        if node.kind not in NUMERIC:
            raise TypeError(f"{node!r} is not a number")
    return "num" if any(n.kind == "num" for n in nodes) else "int"


def _same_kind(a: Expr, b: Expr) -> str:
    if a.kind in NUMERIC and b.kind in NUMERIC:
        return _numeric_kind(a, b)
    if a.kind != b.kind:
        raise TypeError(f"{a!r} and {b!r} have different kinds")
    return a.kind


@dataclass(frozen=True, eq=False)
class Fact(Expr):
    name: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", FACT_KINDS[vocab.VOCABULARY[self.name].kind])


@dataclass(frozen=True, eq=False)
class Param(Expr):
    """A parameter's value on the decision date."""

    name: str

    def __post_init__(self) -> None:
        spec = parameter_spec(self.name)
        if spec is None:
            raise KeyError(f"parameter {self.name} is not declared in parameters/*.yaml")
        object.__setattr__(self, "kind", spec.kind)


@dataclass(frozen=True, eq=False)
class ParamOn(Expr):
    """A parameter's value on another date (e.g. the loan contract date): a per-row look-up in batch."""

    name: str
    at: Expr

    def __post_init__(self) -> None:
        spec = parameter_spec(self.name)
        if spec is None:
            raise KeyError(f"parameter {self.name} is not declared")
        object.__setattr__(self, "kind", spec.kind)

    def children(self) -> tuple[Expr, ...]:
        return (self.at,)


@dataclass(frozen=True, eq=False)
class ParamFor(Expr):
    """The parameter ``<prefix>.<key>`` on the decision date, where the key is a code fact (e.g. the course)."""

    prefix: str
    key: Expr
    keys: tuple[str, ...]

    def __post_init__(self) -> None:
        kinds = set()
        for key in self.keys:
            spec = parameter_spec(f"{self.prefix}.{key}")
            if spec is None:
                raise KeyError(f"parameter {self.prefix}.{key} is not declared")
            kinds.add(spec.kind)
        if len(kinds) != 1:
            raise TypeError(f"{self.prefix}.* parameters must share one type")
        object.__setattr__(self, "kind", kinds.pop())

    def children(self) -> tuple[Expr, ...]:
        return (self.key,)


@dataclass(frozen=True, eq=False)
class Const(Expr):
    value: Any
    kind: str = ""


@dataclass(frozen=True, eq=False)
class Today(Expr):
    """The decision date."""

    kind: str = "date"


@dataclass(frozen=True, eq=False)
class Compare(Expr):
    op: str
    left: Expr
    right: Expr
    kind: str = "bool"

    def __post_init__(self) -> None:
        if self.op not in ("<", "<=", ">", ">=", "==", "!="):
            raise ValueError(self.op)
        _same_kind(self.left, self.right)

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, eq=False)
class AllOf(Expr):
    items: tuple[Expr, ...]
    kind: str = "bool"

    def children(self) -> tuple[Expr, ...]:
        return self.items


@dataclass(frozen=True, eq=False)
class AnyOf(Expr):
    items: tuple[Expr, ...]
    kind: str = "bool"

    def children(self) -> tuple[Expr, ...]:
        return self.items


@dataclass(frozen=True, eq=False)
class Not(Expr):
    item: Expr
    kind: str = "bool"

    def children(self) -> tuple[Expr, ...]:
        return (self.item,)


@dataclass(frozen=True, eq=False)
class HasAny(Expr):
    """True when the set fact holds any of ``codes``."""

    members: Expr
    codes: frozenset[str]
    kind: str = "bool"

    def children(self) -> tuple[Expr, ...]:
        return (self.members,)


@dataclass(frozen=True, eq=False)
class Contains(Expr):
    """True when ``item`` (a code) is in ``members`` (a set fact or a set parameter)."""

    members: Expr
    item: Expr
    kind: str = "bool"

    def children(self) -> tuple[Expr, ...]:
        return (self.members, self.item)


@dataclass(frozen=True, eq=False)
class Arith(Expr):
    op: str  # "+", "-", "*"
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _numeric_kind(self.left, self.right))

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, eq=False)
class DivBy(Expr):
    """Exact division by a value known before evaluation (a constant or a decision-date parameter)."""

    left: Expr
    right: Expr
    kind: str = "num"

    def __post_init__(self) -> None:
        _numeric_kind(self.left, self.right)
        if not isinstance(self.right, Const | Param):
            raise TypeError("divide only by a constant or a decision-date parameter")

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, eq=False)
class Smallest(Expr):
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _same_kind(self.left, self.right))

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, eq=False)
class Largest(Smallest):
    pass


@dataclass(frozen=True, eq=False)
class If(Expr):
    cond: Expr
    then: Expr
    otherwise: Expr

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _same_kind(self.then, self.otherwise))

    def children(self) -> tuple[Expr, ...]:
        return (self.cond, self.then, self.otherwise)


@dataclass(frozen=True, eq=False)
class Coalesce(Expr):
    """The first value unless it is null, else the second."""

    first: Expr
    second: Expr

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _same_kind(self.first, self.second))

    def children(self) -> tuple[Expr, ...]:
        return (self.first, self.second)


@dataclass(frozen=True, eq=False)
class Present(Expr):
    item: Expr
    kind: str = "bool"

    def children(self) -> tuple[Expr, ...]:
        return (self.item,)


@dataclass(frozen=True, eq=False)
class AddMonths(Expr):
    """``core.dates.add_months``: the same day ``months`` later, the month's last day when it does not exist."""

    date: Expr
    months: Expr
    kind: str = "date"

    def children(self) -> tuple[Expr, ...]:
        return (self.date, self.months)


@dataclass(frozen=True, eq=False)
class RetirementDate(Expr):
    """``core.retirement.retirement_date``; a woman's post category defaults to worker (no fact says cadre)."""

    birth: Expr
    sex: Expr
    kind: str = "date"

    def children(self) -> tuple[Expr, ...]:
        return (self.birth, self.sex)


@dataclass(frozen=True, eq=False)
class PartnerCount(Expr):
    kind: str = "int"


@dataclass(frozen=True, eq=False)
class AllPartners(Expr):
    """True when ``test`` holds for every partner (evaluated on each partner's own facts); null without partners."""

    test: Expr
    kind: str = "bool"


# Short names used by the policy modules.
def fact(name: str) -> Expr:
    return Fact(name)


def param(name: str) -> Expr:
    return Param(name)


def param_on(name: str, at: Expr) -> Expr:
    return ParamOn(name, at)


def today() -> Expr:
    return Today()


def all_of(*items: Expr) -> Expr:
    return AllOf(tuple(items))


def any_of(*items: Expr) -> Expr:
    return AnyOf(tuple(items))


def has_any(name: str, codes: Iterable[str]) -> Expr:
    return HasAny(Fact(name), frozenset(codes))


def add_months(date: Expr, months: Expr | int) -> Expr:
    return AddMonths(date, lift(months))


def walk(node: Expr) -> Iterable[Expr]:
    """Every node under ``node`` (itself included), depth first; partner tests are not entered."""
    yield node
    for child in node.children():
        yield from walk(child)


def facts_read(node: Expr) -> list[str]:
    """The fact names a tree reads, in first-use order."""
    seen: dict[str, None] = {}
    for n in walk(node):
        if isinstance(n, Fact):
            seen.setdefault(n.name, None)
        elif isinstance(n, PartnerCount | AllPartners):
            seen.setdefault("partners", None)
    return list(seen)


def shape(node: Expr) -> Any:
    """A hashable description of ``node``: equal shapes compute equal values (None: never reused)."""
    if isinstance(node, AllPartners):
        return None
    parts: list[Any] = [type(node)]
    for f in dataclasses.fields(node):  # type: ignore[arg-type]
        value = getattr(node, f.name)
        if isinstance(value, Expr):
            value = shape(value)
            if value is None:
                return None
        elif isinstance(value, tuple) and value and isinstance(value[0], Expr):
            value = tuple(shape(item) for item in value)
            if None in value:
                return None
        elif isinstance(node, Const) and f.name == "value":
            value = (type(value), value)
        parts.append(value)
    try:
        hash(tuple(parts))
    except TypeError:
        return None
    return tuple(parts)
