"""What a policy is: its identity and legal basis, named criteria, and an amount formula."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chuangye.policies.expr import Expr, facts_read, walk

# A value a reason shows (a ``str.format`` replacement field): an expression (evaluated per person) or a
# function of the per-person environment.
Shown = Expr | Callable[[Any], Any]


@dataclass(frozen=True, eq=False)
class Criterion:
    """A named test with its Chinese label and the reasons given when it passes or fails.

    Reasons are ``str.format`` templates; ``show`` supplies their replacement fields (per person only).
    """

    code: str
    label: str
    test: Expr
    passed: str
    failed: str
    show: Mapping[str, Shown] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.test.kind != "bool":
            raise TypeError(f"criterion {self.code} must test a condition")
        object.__setattr__(self, "facts", tuple(facts_read(self.test)))

    facts: tuple[str, ...] = field(init=False, default=())  # the facts the test reads, in first-use order


@dataclass(frozen=True, eq=False)
class Policy:
    """One policy of the catalogue. ``amount`` is None when no amount applies (e.g. a waiver)."""

    code: str
    title: str
    plan: int  # the 81号 plan number (1–8)
    plan_title: str
    legal_basis: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    amount: Expr | None = None
    amount_label: str = ""
    required_facts: tuple[str, ...] = ()  # facts without which no decision is possible (bad input)
    notes: str = ""

    def __post_init__(self) -> None:
        codes = [c.code for c in self.criteria]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.code}: criterion codes must be unique")
        if self.amount is not None and self.amount.kind not in ("num", "int"):
            raise TypeError(f"{self.code}: the amount must be a number")

    @property
    def facts(self) -> list[str]:
        """Every fact the policy reads, in first-use order."""
        seen: dict[str, None] = {}
        trees = [c.test for c in self.criteria] + ([self.amount] if self.amount is not None else [])
        for tree in trees:
            for name in facts_read(tree):
                seen.setdefault(name, None)
        return list(seen)

    @property
    def parameters(self) -> list[str]:
        from chuangye.policies.expr import Param, ParamFor, ParamOn

        seen: dict[str, None] = {}
        trees = [c.test for c in self.criteria] + ([self.amount] if self.amount is not None else [])
        for tree in trees:
            for node in walk(tree):
                if isinstance(node, Param | ParamOn):
                    seen.setdefault(node.name, None)
                elif isinstance(node, ParamFor):
                    for key in node.keys:
                        seen.setdefault(f"{node.prefix}.{key}", None)
        return list(seen)
