"""The LPR series: one place to ask "which loan prime rate was in force on this day".

The national history ships as ``parameters/lpr.yaml``. Rates published later will come from a database table
(a later issue): that code calls ``register_lpr_source`` with a function returning its entries, and every
look-up — ``lpr_1y_on`` and the snapshots formulas read — sees them, a registered entry winning over a shipped
one that starts on the same day.
"""

import datetime as dt
from collections.abc import Callable, Iterable

from chuangye.policies.params import Entry, Series, merge, national_parameters

LprSource = Callable[[str], Iterable[Entry]]  # term ("1y" or "5y") -> entries

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
    spec, shipped = national_parameters()[f"lpr.{term}"]
    candidates = [(0, entry) for entry in shipped]
    for source in _sources:
        candidates.extend((0, entry.describe()) for entry in source(term))
    return merge(spec, candidates)


def lpr_1y_on(day: dt.date) -> Entry | None:
    """The 1-year LPR in force on ``day`` (None before the 2019 reform), with its source."""
    return lpr_series("1y").at(day)
