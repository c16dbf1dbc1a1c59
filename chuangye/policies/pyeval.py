"""The per-person evaluator: each rule tree is compiled once into a Python function of an ``Env``.

``pygen`` generates the function's source from the tree (one straight-line function, not one call per node),
which keeps a decision with its trace in the microseconds. Values are Python values: bool, int, ``Fraction``
(money and rates, exact), date, str, frozenset; None is null, with the semantics documented in ``expr``.
"""

import datetime as dt
import weakref
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from chuangye.core.retirement import category_for, retirement_age_months
from chuangye.policies import expr as x
from chuangye.policies.params import Entry, Snapshot
from chuangye.policies.pygen import Emitter, memo_key, published

Fn = Callable[["Env"], Any]


class Entries(dict[str, Entry | None]):
    """The entries in force on one snapshot's decision date, by parameter name, looked up on first use.
    ``derived`` keeps what decisions derive from them (trace lines). Holds the snapshot weakly, so the cache
    below does not keep snapshots alive."""

    __slots__ = ("_snapshot", "dated", "derived", "value_of")

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self._snapshot = weakref.ref(snapshot)
        self.derived: dict[Any, Any] = {}
        self.dated: dict[tuple[str, dt.date], Entry | None] = {}  # (name, day) -> entry on that day
        self.value_of = Values(self)

    def __missing__(self, name: str) -> Entry | None:
        snapshot = self._snapshot()
        if snapshot is None:  # an Env holds its snapshot, so this is only reached through a stray reference
            raise RuntimeError("the snapshot of these entries no longer exists")
        found = self[name] = snapshot.entry(name)
        return found


class Values(dict[str, Any]):
    """The values of those entries (None where no value applies), looked up on first use."""

    __slots__ = ("_entries",)

    def __init__(self, entries: Entries) -> None:
        super().__init__()
        self._entries = entries

    def __missing__(self, name: str) -> Any:
        entry = self._entries[name]
        found = self[name] = None if entry is None else entry.value
        return found


_entries: "weakref.WeakKeyDictionary[Snapshot, Entries]" = weakref.WeakKeyDictionary()


def entries_of(snapshot: Snapshot) -> Entries:
    """The (shared) decision-date entries of ``snapshot``; snapshots are immutable, so this never goes stale."""
    global _last
    last = _last
    if last is not None and last._snapshot() is snapshot:
        return last
    found = _entries.get(snapshot)
    if found is None:
        found = _entries[snapshot] = Entries(snapshot)
    _last = found
    return found


_last: Entries | None = None  # the snapshot most recently used (a run decides many people on one snapshot)


class Env:
    """What one evaluation reads: the facts, the parameter snapshot, and a record of the parameters used.
    ``memo`` keeps calendar results for these facts, which several criteria and reasons read."""

    __slots__ = ("entries", "memo", "on", "snapshot", "used", "values")

    def __init__(
        self,
        values: Mapping[str, Any],
        snapshot: Snapshot,
        used: dict[Any, Entry | None],
        entries: Entries | None = None,
    ) -> None:
        self.values = values
        self.snapshot = snapshot
        self.on: dt.date = snapshot.on
        self.used = used
        self.memo: dict[x.Expr, Any] = {}
        self.entries = entries_of(snapshot) if entries is None else entries


# Per-snapshot caches of dated look-ups are emptied when they reach this size (days are unbounded).
DATED_LIMIT = 20_000


def entry_on(env: "Env", name: str, day: dt.date) -> Entry | None:
    """``snapshot.entry_on(name, day)``, kept per snapshot."""
    dated = env.entries.dated
    key = (name, day)
    try:
        return dated[key]
    except KeyError:
        if len(dated) >= DATED_LIMIT:
            dated.clear()
        found = dated[key] = env.snapshot.entry_on(name, day)
        return found


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_date = dt.date


def add_months(day: dt.date, months: int) -> dt.date:
    """``core.dates.add_months`` (same day ``months`` later, else the month's last day), without ``calendar``."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    d = day.day
    if d > 28:
        last = _MONTH_DAYS[month]
        if month == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            last = 29
        if d > last:
            d = last
    return _date(year, month + 1, d)


def retirement_date(birth: dt.date, category: Any) -> dt.date:
    """``core.retirement.retirement_date`` with the calendar step above."""
    return add_months(birth, retirement_age_months(birth, category))


def kleene_all(values: list[Any]) -> bool | None:
    if False in values:
        return False
    return None if None in values else True


def kleene_any(values: list[Any]) -> bool | None:
    if True in values:
        return True
    return None if None in values else False


_compiled: dict[x.Expr, Fn] = {}


def compile_py(node: x.Expr) -> Fn:
    """The function computing ``node`` for one person (cached per node)."""
    fn = _compiled.get(node)
    if fn is None:
        emitter = Emitter(RUNTIME)
        if published(node):
            # Kept by the criterion that tests it: a hit records the parameters an evaluation would.
            emitter.need("memo")
            found = emitter.assign(f"memo.get({emitter.const(memo_key(node))}, MISSING)")
            emitter.enter(f"if {found} is not MISSING:")
            for name in [n.name for n in x.walk(node) if isinstance(n, x.Param)]:
                emitter.need("u", "E")
                emitter.line(f"u.setdefault({emitter.const((name, None))}, E[{name!r}])")
            emitter.line(f"return {found}")
            emitter.leave()
        emitter.line(f"return {emitter.value(node)}")
        fn = _compiled[node] = emitter.function("rule", "env", filename=f"<rule {type(node).__name__}>")
    return fn


# What generated code may name, besides its own constants.
RUNTIME: dict[str, Any] = {
    "MISSING": object(),
    "Fraction": Fraction,
    "add_months": add_months,
    "retirement_date": retirement_date,
    "category_for": category_for,
    "kleene_all": kleene_all,
    "entry_on": entry_on,
    "Env": Env,
    "compile_py": compile_py,
    "date": dt.date,
}
