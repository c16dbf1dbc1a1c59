"""Python source generated from rule trees: the per-person evaluator's compiler.

A rule tree becomes one straight-line Python function (compiled once with ``compile``), instead of one closure
call per node: a decision with its trace then costs a few microseconds per criterion. A criterion becomes one
function for its test *and* its reason, so the values a reason shows are not computed twice.

The generated code keeps ``expr``'s semantics exactly, node by node:

* nulls propagate; ``AllOf``/``AnyOf`` evaluate every item (no short cut, so every parameter a criterion depends
  on is recorded) and combine them in three-valued logic; ``If`` and ``Coalesce`` evaluate only the branch taken;
* every parameter read is recorded in ``env.used`` under its (name, day) key, in first-use order;
* calendar nodes (``AddMonths``, ``RetirementDate``) are memoised per person in ``env.memo`` under the node
  itself; a memo hit records the node's decision-date parameters again, as a computation would;
* a value computed earlier in the same function (same shape, on every path to here) is reused instead of being
  computed again. That is exact because nodes are pure: a second evaluation gives the same value and records
  only keys already recorded. The one exception, a memoised node holding an ``If``/``Coalesce`` (whose memo hit
  records parameters of the branch not taken), is never reused.
"""

import keyword
import string
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from chuangye.policies import expr as x

MEMOISED = (x.AddMonths, x.RetirementDate)
# ``Fraction`` keeps its terms in these slots (CPython 3.8 to 3.13); elsewhere comparisons use its operators.
FRACTION_SLOTS = all(hasattr(Fraction(1, 2), slot) for slot in ("_numerator", "_denominator"))
_COMPARE = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "!=": "!="}
_ARITH = {"+": "+", "-": "-", "*": "*"}
# Parts of the environment a generated function may read, and how its prologue binds them.
_PROLOGUE = {
    "v": "v = env.values",
    "u": "u = env.used",
    "memo": "memo = env.memo",
    "E": "E = env.entries",
    "V": "V = env.entries.value_of",
    "on": "on = env.on",
    "S": "S = env.snapshot",
}


def _names(*atoms: str) -> bool:
    """Whether the fraction fast paths apply: ``Fraction``'s slots exist and the operands are variables or named
    constants (a literal such as ``0`` is an int, and ``0._numerator`` would not parse)."""
    return FRACTION_SLOTS and all(a.isidentifier() and not keyword.iskeyword(a) for a in atoms)


def reusable(node: x.Expr) -> bool:
    """False when a second evaluation of ``node`` could record a parameter the first did not (see module doc)."""
    for n in x.walk(node):
        if isinstance(n, MEMOISED) and not _dynamic(n) and any(isinstance(m, x.If | x.Coalesce) for m in x.walk(n)):
            return False
    return True


_CANONICAL: dict[Any, x.Expr] = {}


def memo_keys(node: x.Expr) -> set[x.Expr]:
    """The memo entries a computation of ``node`` would use, for the ones that a recomputation can replace."""
    return {memo_key(n) for n in x.walk(node) if isinstance(n, MEMOISED) and not _dynamic(n) and reusable(n)}


def memo_key(node: x.Expr) -> x.Expr:
    """The node under which ``node``'s value is memoised: the first node of its shape, when reusable."""
    form = x.shape(node) if reusable(node) else None
    return node if form is None else _CANONICAL.setdefault(form, node)


def trace_static(node: x.Expr) -> bool:
    """True when evaluating ``node`` always records the same parameters, in walk order: no reads that depend
    on values (dated, keyed, partners), and no parameter inside a branch that may not be taken."""
    for n in x.walk(node):
        if isinstance(n, x.ParamOn | x.ParamFor | x.AllPartners):
            return False
        branches = (n.then, n.otherwise) if isinstance(n, x.If) else (n.second,) if isinstance(n, x.Coalesce) else ()
        if any(isinstance(m, x.Param) for b in branches for m in x.walk(b)):
            return False
    return reusable(node)


def published(node: x.Expr) -> bool:
    """Whether a criterion test's item is kept in the memo, for reasons that evaluate it again (e.g. to say
    which of several grounds applies): combinations whose parameter reads a memo hit can repeat exactly."""
    return isinstance(node, x.AllOf | x.AnyOf) and trace_static(node)


def _dynamic(node: x.Expr) -> bool:
    """Parameter reads that depend on other facts' values: such calendar nodes are not memoised."""
    return any(isinstance(n, x.ParamOn | x.ParamFor) for n in x.walk(node))


class Emitter:
    """The body of one generated function: lines, the constants they name, and values ready for reuse."""

    def __init__(self, runtime: Mapping[str, Any]) -> None:
        self.runtime = runtime
        self.lines: list[str] = []
        self.names: dict[str, Any] = dict(runtime)
        self.const_names: dict[int, str] = {}
        self.depth = 1
        self.scopes: list[dict[Any, str]] = [{}]
        self.count = 0
        self.needs: set[str] = set()
        self.non_null: set[str] = set()  # names and literals of constants other than None
        self.publish_items_of: x.Expr | None = None  # the criterion test whose items are kept in the memo
        self.memo_shared: set[x.Expr] | None = None  # memoised nodes worth keeping (None: all of them)

    # --- plumbing -------------------------------------------------------------------------------------------
    def line(self, text: str) -> None:
        self.lines.append("    " * self.depth + text)

    def need(self, *parts: str) -> None:
        self.needs.update(parts)

    def const(self, value: Any) -> str:
        if value is None or type(value) in (bool, int, str):
            name = repr(value)
        else:
            name = self.const_names.get(id(value)) or f"k{len(self.const_names)}"
            self.const_names[id(value)] = name
            self.names[name] = value
        if value is not None:
            self.non_null.add(name)
        return name

    def bind(self, value: Any) -> str:
        """A name for ``value`` in the generated code, whatever its type."""
        name = self.const_names.get(id(value)) or f"k{len(self.const_names)}"
        self.const_names[id(value)] = name
        self.names[name] = value
        return name

    def unless_null(self, atoms: tuple[str, ...], expression: str) -> str:
        """Assign ``expression``, or None when any of ``atoms`` is None (checks on constants left out)."""
        if "None" in atoms:
            return self.assign("None")
        checks = " or ".join(f"{a} is None" for a in atoms if a not in self.non_null)
        return self.assign(f"None if {checks} else {expression}" if checks else expression)

    def assign(self, expression: str) -> str:
        self.count += 1
        name = f"t{self.count}"
        self.line(f"{name} = {expression}")
        return name

    def fresh(self) -> str:
        self.count += 1
        return f"t{self.count}"

    def enter(self, header: str) -> None:
        self.line(header)
        self.depth += 1
        self.scopes.append({})

    def leave(self) -> None:
        self.depth -= 1
        self.scopes.pop()

    def function(self, name: str, args: str, *, filename: str) -> Callable[..., Any]:
        prologue = ["    " + _PROLOGUE[part] for part in _PROLOGUE if part in self.needs]
        source = "\n".join([f"def {name}({args}):", *prologue, *self.lines]) + "\n"
        code = compile(source, filename, "exec")
        namespace = dict(self.names)
        exec(code, namespace)  # noqa: S102 - source generated above from the rule tree, no outside text
        fn = namespace[name]
        fn.source = source
        return fn  # type: ignore[no-any-return]

    # --- values ---------------------------------------------------------------------------------------------
    def value(self, node: x.Expr) -> str:
        """Emit the computation of ``node`` (or find it done already) and return the name holding its value."""
        key = x.shape(node) if reusable(node) else None
        if key is not None:
            for scope in reversed(self.scopes):
                found = scope.get(key)
                if found is not None:
                    return found
        if isinstance(node, MEMOISED) and not _dynamic(node):
            name = self._memoised(node)
        else:
            name = getattr(self, "_" + type(node).__name__)(node)
        if key is not None:
            self.scopes[-1][key] = name
        return name

    def _memoised(self, node: x.Expr) -> str:
        self.need("memo")
        # Nodes of one shape share a memo entry (the first such node is the key) unless the node is not reusable:
        # a hit records what a computation would (see the module doc), so which node computed it is invisible.
        result, key_node = self.fresh(), memo_key(node)
        if self.memo_shared is not None and key_node not in self.memo_shared and reusable(node):
            # No other part of this run evaluates it: computing it here records what a memo hit would.
            return getattr(self, "_" + type(node).__name__)(node)  # type: ignore[no-any-return]
        key = self.const(key_node)
        self.line(f"{result} = memo.get({key}, MISSING)")
        self.enter(f"if {result} is MISSING:")
        computed = getattr(self, "_" + type(node).__name__)(node)
        self.line(f"{result} = memo[{key}] = {computed}")
        self.leave()
        params = [n.name for n in x.walk(node) if isinstance(n, x.Param)]
        if params:
            self.need("u", "E")
            self.enter("else:")
            for name in params:
                self.line(f"u.setdefault({self.const((name, None))}, E[{name!r}])")
            self.leave()
        return result

    def _Fact(self, node: x.Fact) -> str:
        self.need("v")
        return self.assign(f"v[{node.name!r}]")

    def _Param(self, node: x.Param) -> str:
        self.need("u", "E", "V")
        self.line(f"u.setdefault({self.const((node.name, None))}, E[{node.name!r}])")
        return self.assign(f"V[{node.name!r}]")

    def _ParamOn(self, node: x.ParamOn) -> str:
        self.need("u", "env")
        day = self.value(node.at)

        def read() -> tuple[str, str]:
            return self.assign(f"entry_on(env, {node.name!r}, {day})"), f"({node.name!r}, {day})"

        return self._entry_value(f"{day} is None", read)

    def _ParamFor(self, node: x.ParamFor) -> str:
        self.need("u", "E")
        key = self.value(node.key)

        def read() -> tuple[str, str]:
            name = self.assign(f"{(node.prefix + '.')!r} + {key}")
            return self.assign(f"E[{name}]"), f"({name}, None)"

        return self._entry_value(f"{key} not in {self.const(frozenset(node.keys))}", read)

    def _entry_value(self, unknown: str, read: Callable[[], tuple[str, str]]) -> str:
        """The value of a parameter entry, None where ``unknown`` holds; ``read`` emits the look-up and gives the
        entry's name and its key in the trace (the read is recorded in ``u``)."""
        result = self.fresh()
        self.enter(f"if {unknown}:")
        self.line(f"{result} = None")
        self.leave()
        self.enter("else:")
        entry, trace_key = read()
        self.line(f"u.setdefault({trace_key}, {entry})")
        self.line(f"{result} = None if {entry} is None else {entry}.value")
        self.leave()
        return result

    def _Const(self, node: x.Const) -> str:
        return self.const(node.value)

    def _Today(self, node: x.Today) -> str:
        self.need("on")
        return "on"

    def _Compare(self, node: x.Compare) -> str:
        a, b = self.value(node.left), self.value(node.right)
        op = _COMPARE[node.op]
        if "num" in (node.left.kind, node.right.kind) and _names(a, b):
            fast = self._cross(a, op, b)
            return self.unless_null((a, b), f"{fast} if {self._both_fractions(a, b)} else {a} {op} {b}")
        return self.unless_null((a, b), f"{a} {op} {b}")

    # Exact rationals compare as their cross products (what ``Fraction`` itself computes, without its method
    # calls); ``min``/``max`` of two keep the first unless the second is smaller/larger, as the builtins do.
    @staticmethod
    def _cross(a: str, op: str, b: str) -> str:
        return f"{a}._numerator * {b}._denominator {op} {b}._numerator * {a}._denominator"

    @staticmethod
    def _both_fractions(a: str, b: str) -> str:
        return f"type({a}) is Fraction and type({b}) is Fraction"

    def _pick(self, node: x.Smallest, builtin: str, op: str) -> str:
        a, b = self.value(node.left), self.value(node.right)
        if node.kind == "num" and _names(a, b):
            fast = f"({b} if {self._cross(b, op, a)} else {a})"
            return self.unless_null((a, b), f"{fast} if {self._both_fractions(a, b)} else {builtin}({a}, {b})")
        return self.unless_null((a, b), f"{builtin}({a}, {b})")

    def _kleene(self, node: x.AllOf | x.AnyOf, decisive: str, other: str) -> str:
        items = node.items
        values = [self.value(item) for item in items]
        if node is self.publish_items_of:
            for item, value in zip(items, values, strict=True):
                if published(item):
                    self.need("memo")
                    self.line(f"memo[{self.const(memo_key(item))}] = {value}")
        pack = self.assign("(" + "".join(v + ", " for v in values) + ")")
        return self.assign(f"{decisive} if {decisive} in {pack} else None if None in {pack} else {other}")

    def _AllOf(self, node: x.AllOf) -> str:
        return self._kleene(node, "False", "True")

    def _AnyOf(self, node: x.AnyOf) -> str:
        return self._kleene(node, "True", "False")

    def _Not(self, node: x.Not) -> str:
        a = self.value(node.item)
        return self.unless_null((a,), f"not {a}")

    def _HasAny(self, node: x.HasAny) -> str:
        a = self.value(node.members)
        return self.unless_null((a,), f"not {self.const(node.codes)}.isdisjoint({a})")

    def _Contains(self, node: x.Contains) -> str:
        pool, code = self.value(node.members), self.value(node.item)
        return self.unless_null((pool, code), f"{code} in {pool}")

    def _Arith(self, node: x.Arith) -> str:
        a, b = self.value(node.left), self.value(node.right)
        return self.unless_null((a, b), f"{a} {_ARITH[node.op]} {b}")

    def _DivBy(self, node: x.DivBy) -> str:
        a, b = self.value(node.left), self.value(node.right)
        # ``Fraction(a)`` of a Fraction is an equal Fraction: skip the copy.
        return self.unless_null((a, b), f"({a} if type({a}) is Fraction else Fraction({a})) / {b}")

    def _Smallest(self, node: x.Smallest) -> str:
        return self._pick(node, "min", "<")

    def _Largest(self, node: x.Largest) -> str:
        return self._pick(node, "max", ">")

    def _If(self, node: x.If) -> str:
        cond, result = self.value(node.cond), self.fresh()
        self.enter(f"if {cond} is True:")
        self.line(f"{result} = {self.value(node.then)}")
        self.leave()
        self.enter("else:")
        self.line(f"{result} = {self.value(node.otherwise)}")
        self.leave()
        return result

    def _Coalesce(self, node: x.Coalesce) -> str:
        result = self.assign(self.value(node.first))
        self.enter(f"if {result} is None:")
        self.line(f"{result} = {self.value(node.second)}")
        self.leave()
        return result

    def _Present(self, node: x.Present) -> str:
        return self.assign(f"{self.value(node.item)} is not None")

    def _AddMonths(self, node: x.AddMonths) -> str:
        day, count = self.value(node.date), self.value(node.months)
        return self.unless_null((day, count), f"add_months({day}, int({count}))")

    def _RetirementDate(self, node: x.RetirementDate) -> str:
        birth, sex = self.value(node.birth), self.value(node.sex)
        return self.unless_null((birth, sex), f"retirement_date({birth}, category_for({sex}))")

    def _PartnerCount(self, node: x.PartnerCount) -> str:
        partners = self._Fact(x.Fact("partners"))
        return self.unless_null((partners,), f"len({partners})")

    def _AllPartners(self, node: x.AllPartners) -> str:
        self.need("S", "u", "E")
        partners, result = self._Fact(x.Fact("partners")), self.fresh()
        test = self.const(self.runtime["compile_py"](node.test))
        self.enter(f"if not {partners}:")
        self.line(f"{result} = None")
        self.leave()
        self.enter("else:")
        # Each partner is decided on their own facts, with a memo of their own; reads go to the same record.
        self.line(f"{result} = kleene_all([{test}(Env(p.values, S, u, E)) for p in {partners}])")
        self.leave()
        return result

    # --- reasons --------------------------------------------------------------------------------------------
    def text(self, shown: Any) -> str:
        """The reason text of one replacement field: ``format_value`` of its value (inlined for exact types)."""
        if isinstance(shown, x.Expr):
            value = self.value(shown)
        else:
            self.need("env")
            value = self.assign(f"{self.const(shown)}(env)")
        kind = shown.kind if isinstance(shown, x.Expr) else ""
        if kind in ("", "str"):  # the functions a reason calls return text
            return self.assign(f"{value} if type({value}) is str else format_value({value})")
        if kind == "int":
            return self.assign(f"str({value}) if type({value}) is int else format_value({value})")
        if kind == "date":
            return self.assign(f"{value}.isoformat() if type({value}) is date else format_value({value})")
        if kind == "num":
            return self.assign(f"format_fraction({value}) if type({value}) is Fraction else format_value({value})")
        return self.assign(f"format_value({value})")

    def reason(self, template: str, show: Mapping[str, Any]) -> str:
        """An expression for ``template`` filled in; replacement fields are computed in the order the template names
        them (each occurrence, as ``str.format`` with a dict of them would)."""
        pieces = list(string.Formatter().parse(template))
        # As ``str.format`` is used with named replacement fields only, an empty name ("{}") is not computed.
        fields = [(name, spec, conversion) for _, name, spec, conversion in pieces if name]
        if not fields:
            return self.const(template)
        texts = [self.text(show[name]) for name, _, _ in fields]
        plain = all(name is None or (name.isidentifier() and not spec and not conv) for _, name, spec, conv in pieces)
        if plain:
            parts: list[tuple[bool, str]] = []  # (is literal text, text or name)
            for (literal, _name, _, _), text in zip([p for p in pieces if p[1] is not None], texts, strict=True):
                if literal:
                    parts.append((True, literal))
                parts.append((False, text))
            tail = pieces[-1]
            if tail[1] is None and tail[0]:
                parts.append((True, tail[0]))
            if len(parts) <= 3:
                return self.assign(" + ".join(self.const(p) if literal else p for literal, p in parts))
            # One f-string joins the parts without the intermediate strings of a chain of "+".
            names = [self.bind(p) if literal else p for literal, p in parts]
            return self.assign('f"' + "".join(f"{{{n}}}" for n in names) + '"')
        keywords = ", ".join(f"{name!r}: {text}" for (name, _, _), text in zip(fields, texts, strict=True))
        return self.assign(f"{self.const(template)}.format(**{{{keywords}}})")
