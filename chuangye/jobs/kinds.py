"""The kinds of long job, registered by the apps that own the work (in their ``AppConfig.ready``).

A kind says how to cut a run into parts (``split``: region- or batch-sized, each with JSON parameters) and how to
do one part (``run_part``: returns JSON counts). A part must be safe to run twice: with ``atomic`` (the default) the
part's writes and its "done" mark commit together, so a worker killed mid-part leaves nothing behind and the part
simply runs again; a kind that keeps its own progress records (an import) sets ``atomic=False`` and is idempotent
by its own claim.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Params = dict[str, Any]


@dataclass(frozen=True)
class Part:
    label: str  # shown to staff, e.g. "锦江区 第1批"
    params: Params


@dataclass(frozen=True)
class JobKind:
    code: str
    title: str
    split: Callable[[Params], list[Part]]
    run_part: Callable[[Params, Params], Params]
    atomic: bool = True
    # One line of Chinese for the finished job, from the summed results of its parts.
    summary: Callable[[Params], str] | None = None
    # Called once, when the last part is done (e.g. tell the person who started the job).
    on_finish: Callable[[Any], None] | None = None


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    if kind.code in _KINDS and _KINDS[kind.code] != kind:
        raise ValueError(f"job kind {kind.code!r} is registered twice")
    _KINDS[kind.code] = kind


def get_kind(code: str) -> JobKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"unknown job kind {code!r}") from None


def all_kinds() -> list[JobKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)


def combine(results: list[Params]) -> Params:
    """The job's result: numeric counts summed over its parts; anything else kept from the first part that has it."""
    total: Params = {}
    for result in results:
        for key, value in result.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                total[key] = total.get(key, 0) + value
            elif isinstance(value, str) and key.endswith("_total"):
                total[key] = str(Decimal(str(total.get(key, "0"))) + Decimal(value))
            else:
                total.setdefault(key, value)
    return total
