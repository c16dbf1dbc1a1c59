"""Case types: the declaration an app makes to run its applications on the one case engine.

A case type names its states, the transitions between them (who may take each, with an optional guard), the
service mode and time limit, the materials it needs, who the applicant is, and which office decides. Adding a
case type is one ``CaseType(...)`` passed to ``register`` (in the app's ``AppConfig.ready``) plus the app's own
payload model pointing at ``cases.Case``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

# Who may take a transition. Staff roles are checked against the deciding (or, for ``accepting``, the accepting)
# office's region; ``applicant`` is the account that submitted the case.
APPLICANT = "applicant"
OFFICER = "officer"  # an officer or supervisor of the deciding office
SUPERVISOR = "supervisor"  # a supervisor of the deciding office
ACCEPTING_OFFICER = "accepting_officer"  # an officer of the accepting office (异地可办: checks and routes)
SYSTEM = "system"


class ServiceMode:
    ON_THE_SPOT = "on_the_spot"  # 当场办结
    ONE_VISIT = "one_visit"  # 一次办结
    TIME_LIMITED = "time_limited"  # 限时办结

    LABELS: ClassVar[dict[str, str]] = {ON_THE_SPOT: "当场办结", ONE_VISIT: "一次办结", TIME_LIMITED: "限时办结"}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    needs_comment: bool = False
    # A decision on the merits: maker-checker applies (not by whoever submitted or did the previous review).
    decides: bool = False
    # Returns a Chinese reason to refuse, or None. Receives the case and the actor.
    guard: Callable[[Any, Any], str | None] | None = None


@dataclass(frozen=True)
class Material:
    code: str
    label: str
    required: bool = True


@dataclass(frozen=True)
class CaseType:
    code: str
    prefix: str  # case numbers start with it, e.g. "DJ" for 登记
    title: str
    applicant_kind: str  # "person" or "business"
    service_mode: str
    states: dict[str, str]
    initial_state: str
    final_states: frozenset[str]
    transitions: tuple[Transition, ...]
    time_limit_workdays: int = 0
    extension_workdays: int = 0
    # States in which the clock does not run (the applicant is supplementing materials: 补正).
    paused_states: frozenset[str] = frozenset({"awaiting_materials"})
    materials: tuple[Material, ...] = ()
    description: str = ""
    legal_basis: str = ""
    # Hooks into the app that owns the payload: after any transition (case, action, actor), and on reaching a
    # final state (case, actor). They run inside the transition's transaction.
    on_transition: Callable[[Any, str, Any], None] | None = field(default=None, compare=False)
    on_decided: Callable[[Any, Any], None] | None = field(default=None, compare=False)

    def transition(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)

    def available(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]


_REGISTRY: dict[str, CaseType] = {}


def register(case_type: CaseType) -> CaseType:
    """Make a case type known to the engine (idempotent for the same declaration)."""
    existing = _REGISTRY.get(case_type.code)
    if existing is not None and existing != case_type:
        raise ValueError(f"case type {case_type.code} registered twice with different declarations")
    for transition in case_type.transitions:
        unknown = {*transition.sources, transition.target} - set(case_type.states)
        if unknown:
            raise ValueError(f"{case_type.code}.{transition.action}: unknown states {sorted(unknown)}")
    _REGISTRY[case_type.code] = case_type
    return case_type


def get(code: str) -> CaseType:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(f"unknown case type {code!r}") from None


def all_types() -> list[CaseType]:
    return sorted(_REGISTRY.values(), key=lambda t: t.code)
