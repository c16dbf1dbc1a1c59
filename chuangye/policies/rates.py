"""The LPR series: one place to ask "which loan prime rate was in force on this day".

The national history ships as ``parameters/lpr.yaml``. Rates published later come from the database table of
``chuangye.finance``, which calls ``register_lpr_source`` with a function returning its entries; every look-up —
``lpr_1y_on`` and the snapshots formulas read — sees them, a registered entry winning over a shipped one that
starts on the same day. A source returns every term's entries at once (one database read per snapshot).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from chuangye.policies.params import Entry, Series, merge, national_parameters

TERMS = ("1y", "5y")
LprSource = Callable[[], Iterable[tuple[str, Entry]]]  # -> (term "1y" or "5y", entry) for every stored rate

_sources: list[LprSource] = []


def register_lpr_source(source: LprSource) -> None:
    """Add a source of LPR entries (e.g. the database table of newly published rates); idempotent."""
    if source not in _sources:
        _sources.append(source)


def unregister_lpr_source(source: LprSource) -> None:
    if source in _sources:
        _sources.remove(source)


def lpr_series(term: str = "1y") -> Series:
    """The whole series for ``term`` ("1y" or "5y"): shipped history plus every registered source."""
    return lpr_series_all()[term]


def lpr_series_all() -> dict[str, Series]:
    """Both terms' series, reading each registered source once."""
    read = tuple((term, entry) for source in _sources for term, entry in source() if term in TERMS)
    # The same rows as last time give the same series: reuse them (and the hashes snapshots take of them).
    key = tuple((term, e.start, e.value, e.document, e.region_code) for term, e in read)
    last = _last_read
    if last is not None and last[0] == key:
        return dict(last[1])
    candidates: dict[str, list[tuple[int, Entry]]] = {}
    for term in TERMS:
        candidates[term] = [(0, entry) for entry in national_parameters()[f"lpr.{term}"][1]]
    for term, entry in read:
        candidates[term].append((0, entry.describe()))
    found = {term: merge(national_parameters()[f"lpr.{term}"][0], items) for term, items in candidates.items()}
    _remember(key, found)
    return dict(found)


_last_read: tuple[tuple[Any, ...], dict[str, Series]] | None = None


def _remember(key: tuple[Any, ...], found: dict[str, Series]) -> None:
    global _last_read
    _last_read = (key, found)


def lpr_1y_on(day: dt.date) -> Entry | None:
    """The 1-year LPR in force on ``day`` (None before the 2019 reform), with its source."""
    return lpr_series("1y").at(day)
