"""Parameters: declarations and national defaults from the YAML files, dated series, and the snapshot.

Every figure a policy uses is a parameter with dated values, each citing the document that set it. The national
defaults live in ``parameters/*.yaml``; regional overrides come from the database (see ``resolver``). Both are
merged into a ``Snapshot`` for one region and decision date *before* evaluation, so the evaluators never touch
the database and a whole region's population is evaluated against one snapshot.
"""

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from chuangye.core.errors import FieldValueError
from chuangye.core.money import parse_money
from chuangye.policies.facts import COURSES, parse_rate

PARAMETER_DIR = Path(__file__).resolve().parent / "parameters"

# Parameter types and the expression kind each evaluates to.
TYPE_KINDS = {
    "money": "num",
    "rate": "num",
    "fraction": "num",
    "int": "int",
    "text": "str",
    "courses": "set",
    "flag": "bool",  # a regional choice (e.g. 免申即享), read by the platform rather than by policy formulas
}
TYPE_HINTS = {
    "money": "以元为单位的金额，例如 300000.00",
    "rate": "小数形式的比率，例如 0.015",
    "fraction": "分数或百分数，例如 2/3 或 110%",
    "int": "整数",
    "text": "文本",
    "courses": "以逗号分隔的课程代码，例如 GYB,SYB",
    "flag": "“是”或“否”",
}


@dataclass(frozen=True)
class ParamSpec:
    name: str
    label: str
    type: str
    unit: str = ""
    regional: bool = False  # no national figure: a region must set it
    overridable: bool = True
    note: str = ""

    @property
    def kind(self) -> str:
        return TYPE_KINDS[self.type]


@dataclass(frozen=True)
class Entry:
    """One dated value: in force from ``start`` until the next entry of the same series."""

    start: dt.date
    value: Any
    document: str
    region_code: str = ""  # "" for the national default
    source: str = ""
    # What decisions derive from this entry (its JSON form, its trace line), computed once and shared.
    _derived: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def derived(self, key: Any, make: Callable[[], Any]) -> Any:
        """``make()``, computed once per ``key`` for this (immutable) entry."""
        try:
            return self._derived[key]
        except KeyError:
            found = self._derived[key] = make()
            return found

    def describe(self, region_names: Mapping[str, str] | None = None) -> "Entry":
        where = ""
        if self.region_code:
            name = (region_names or {}).get(self.region_code, "")
            where = f"{name}（{self.region_code}）" if name else f"行政区划 {self.region_code} "
        return replace(self, source=f"{where}{self.document}，{self.start.isoformat()} 起施行", _derived={})


def parse_param_value(spec: ParamSpec, raw: Any, *, field: str = "value", label: str = "参数值") -> Any:
    """Read a parameter value of the declared type exactly; refuse anything else, naming ``field``."""
    try:
        return _PARSERS[spec.type](raw, field, label)
    except (InvalidOperation, ValueError, ZeroDivisionError, TypeError, KeyError):
        raise FieldValueError(field, label, f"应为{TYPE_HINTS[spec.type]}") from None


def _money(raw: Any, field: str, label: str) -> Fraction:
    return Fraction(parse_money(raw, field=field, label=label))


def _rate(raw: Any, field: str, label: str) -> Fraction:
    return Fraction(parse_rate(str(raw), field=field, label=label))


def _fraction(raw: Any, field: str, label: str) -> Fraction:
    text = str(raw).strip()
    if isinstance(raw, float) or not text:
        raise ValueError(text)
    value = Fraction(Decimal(text[:-1])) / 100 if text.endswith("%") else Fraction(text)
    if value < 0:
        raise FieldValueError(field, label, "不能为负数")
    return value


def _int(raw: Any, field: str, label: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise ValueError(raw)
    value = int(str(raw).strip())
    if value < 0:
        raise FieldValueError(field, label, "不能为负数")
    return value


def _text(raw: Any, field: str, label: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(raw)
    return raw.strip()


def _courses(raw: Any, field: str, label: str) -> frozenset[str]:
    items = raw if isinstance(raw, list) else str(raw).split(",")
    codes = {str(c).strip().upper() for c in items if str(c).strip()}
    unknown = codes - set(COURSES)
    if unknown:
        raise FieldValueError(field, label, "含有未知课程代码：" + "、".join(sorted(unknown)))
    return frozenset(codes)


_FLAG_WORDS = {"是": True, "否": False, "true": True, "false": False, "1": True, "0": False}


def _flag(raw: Any, field: str, label: str) -> bool:
    if isinstance(raw, bool):
        return raw
    return _FLAG_WORDS[str(raw).strip().lower()]  # KeyError: refused below with the type hint


_PARSERS = {
    "money": _money,
    "rate": _rate,
    "fraction": _fraction,
    "int": _int,
    "text": _text,
    "courses": _courses,
    "flag": _flag,
}


def display_value(spec: ParamSpec, value: Any) -> Any:
    """The JSON form of a value: money and rates as exact decimal strings, fractions as "2/3"."""
    if value is None:
        return None
    if spec.type == "money":
        return f"{Decimal(value.numerator) / Decimal(value.denominator):.2f}"
    if spec.type == "rate":
        return format((Decimal(value.numerator) / Decimal(value.denominator)).normalize(), "f")
    if spec.type == "fraction":
        return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator)
    if spec.type == "courses":
        return [c for c in COURSES if c in value]
    return value


@dataclass(frozen=True)
class Series:
    """A step function of dated entries, sorted by start; ``at(day)`` is the entry in force on ``day``."""

    spec: ParamSpec
    entries: tuple[Entry, ...] = ()
    _starts: tuple[dt.date, ...] = field(default=(), compare=False)
    _content: int | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(e.start for e in self.entries))

    def content_hash(self) -> int:
        """A hash of the dated values (computed once: a series never changes)."""
        if self._content is None:
            content = tuple((e.start, _hashable(e.value)) for e in self.entries)
            object.__setattr__(self, "_content", hash(content))
        return self._content  # type: ignore[return-value]

    def at(self, day: dt.date) -> Entry | None:
        i = bisect.bisect_right(self._starts, day)
        return self.entries[i - 1] if i else None


def _hashable(value: Any) -> Any:
    # A Fraction hashes through a modular inverse; its two integers hash far faster and say the same.
    return (value.numerator, value.denominator) if type(value) is Fraction else value


def merge(spec: ParamSpec, candidates: Iterable[tuple[int, Entry]]) -> Series:
    """Merge entries from several regions into one series: on any day the most specific region wins, then the
    latest start on or before that day. ``candidates`` pairs each entry with its region's specificity (0 =
    national); among equal (specificity, start) the later candidate wins, so corrections supersede."""
    # On a given day the winner is the candidate with the greatest (specificity, start, order) among those
    # started by then. Entries never expire, so sweeping the candidates by start and keeping the running best
    # finds every winner; a new winner always starts exactly on its own start day.
    ranked = sorted(
        ((specificity, entry.start, order, entry) for order, (specificity, entry) in enumerate(candidates)),
        key=lambda item: item[1],
    )
    merged: list[Entry] = []
    best: tuple[int, dt.date, int] | None = None
    i = 0
    while i < len(ranked):
        day = ranked[i][1]
        chosen: Entry | None = None
        while i < len(ranked) and ranked[i][1] == day:  # every candidate starting this day, then compare
            specificity, start, order, entry = ranked[i]
            if best is None or (specificity, start, order) > best:
                best, chosen = (specificity, start, order), entry
            i += 1
        if chosen is not None:
            merged.append(chosen)
    return Series(spec, tuple(merged))


class _Yaml12Loader(yaml.SafeLoader):
    """YAML with only true/false as booleans (as in YAML 1.2): ``on``, ``yes`` and ``no`` stay text, so a case
    table's ``on:`` (the decision date) is not read as True."""


_Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Yaml12Loader)  # noqa: S506 - a SafeLoader subclass


@functools.cache
def national_parameters() -> dict[str, tuple[ParamSpec, tuple[Entry, ...]]]:
    """Every parameter declared in the YAML files, with its national entries (read once; files ship with code)."""
    declared: dict[str, tuple[ParamSpec, tuple[Entry, ...]]] = {}
    for path in sorted(PARAMETER_DIR.glob("*.yaml")):
        document = load_yaml(path.read_text(encoding="utf-8"))
        for name, body in document.items():
            if name == "version":
                continue
            if name in declared:
                raise ValueError(f"parameter {name} declared twice ({path.name})")
            declared[name] = _read_parameter(name, body, path.name)
    return declared


def _read_parameter(name: str, body: Mapping[str, Any], filename: str) -> tuple[ParamSpec, tuple[Entry, ...]]:
    spec = ParamSpec(
        name=name,
        label=body["label"],
        type=body["type"],
        unit=body.get("unit", ""),
        regional=bool(body.get("regional", False)),
        overridable=bool(body.get("overridable", True)),
        note=body.get("note", ""),
    )
    entries = []
    for item in body.get("values") or []:
        start = item["from"]
        if not isinstance(start, dt.date) or not item.get("source"):
            raise ValueError(f"{filename}: {name} needs a date 'from' and a 'source' for every value")
        value = parse_param_value(spec, item["value"], field=name, label=spec.label)
        entries.append(Entry(start=start, value=value, document=str(item["source"])).describe())
    entries.sort(key=lambda e: e.start)
    if spec.regional == bool(entries):
        raise ValueError(f"{filename}: {name} must have national values unless it is regional, and not both")
    return spec, tuple(entries)


def parameter_spec(name: str) -> ParamSpec | None:
    found = national_parameters().get(name)
    return found[0] if found else None


class Snapshot:
    """All parameter series for one region, and the decision date at which plain look-ups are made."""

    def __init__(self, *, on: dt.date, region_code: str, series: Mapping[str, Series]) -> None:
        self.on = on
        self.region_code = region_code
        self.series = dict(series)
        self._current: dict[str, Entry | None] = {}
        self._fingerprint: int | None = None

    def fingerprint(self) -> int:
        """A hash of the decision date and every parameter's dated values: equal snapshots give equal results,
        so compiled batch plans can be reused across calls."""
        if self._fingerprint is None:
            content = tuple((name, series.content_hash()) for name, series in sorted(self.series.items()))
            self._fingerprint = hash((self.on, content))
        return self._fingerprint

    def spec(self, name: str) -> ParamSpec:
        return self.series[name].spec

    def entry(self, name: str) -> Entry | None:
        """The entry in force on the decision date (None when no value applies, e.g. a regional figure unset)."""
        try:
            return self._current[name]
        except KeyError:
            found = self._current[name] = self.series[name].at(self.on)
            return found

    def entry_on(self, name: str, day: dt.date) -> Entry | None:
        return self.series[name].at(day)

    def value(self, name: str) -> Any:
        found = self.entry(name)
        return None if found is None else found.value

    def with_value(
        self, name: str, value: Any, *, start: dt.date | None = None, document: str = "模拟调整"
    ) -> "Snapshot":
        """A copy in which ``name`` takes ``value`` from ``start`` (default: the decision date) — for what-if runs.
        ``value`` may be raw text, parsed as the declared type."""
        series = self.series[name]
        parsed = value if not isinstance(value, str) else parse_param_value(series.spec, value)
        entry = Entry(start=start or self.on, value=parsed, document=document, region_code=self.region_code)
        merged = merge(series.spec, [*((0, e) for e in series.entries), (1, entry.describe())])
        return Snapshot(on=self.on, region_code=self.region_code, series={**self.series, name: merged})

    def with_date(self, on: dt.date) -> "Snapshot":
        return Snapshot(on=on, region_code=self.region_code, series=self.series)
