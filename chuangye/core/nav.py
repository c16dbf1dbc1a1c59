"""Navigation entries that apps add from their ``AppConfig.ready``, so no app edits another app's templates.

``register_nav("portal", "创业培训", "training:catalogue", roles={"citizen"})`` adds a link to the citizen portal's
bar; ``"workbench"`` is the staff and partner bar. ``roles`` is the set of roles that see the link (``None``: everyone
who sees that bar, including visitors on the portal); ``partner_kinds`` narrows partner links to organisation kinds.
"""

from collections.abc import Iterable
from dataclasses import dataclass

AREAS = ("portal", "workbench")


@dataclass(frozen=True)
class NavEntry:
    area: str
    label: str
    url_name: str
    roles: frozenset[str] | None
    partner_kinds: frozenset[str] | None
    order: int


_ENTRIES: list[NavEntry] = []


def register_nav(
    area: str,
    label: str,
    url_name: str,
    *,
    roles: Iterable[str] | None = None,
    partner_kinds: Iterable[str] | None = None,
    order: int = 100,
) -> None:
    if area not in AREAS:
        raise ValueError(f"unknown navigation area {area!r}")
    entry = NavEntry(
        area,
        label,
        url_name,
        frozenset(roles) if roles is not None else None,
        frozenset(partner_kinds) if partner_kinds is not None else None,
        order,
    )
    if entry not in _ENTRIES:  # ready() may run more than once in tests
        _ENTRIES.append(entry)


def entries_for(area: str, user: object) -> list[NavEntry]:
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    org = getattr(user, "organisation", None) if role else None
    shown = []
    for entry in _ENTRIES:
        if entry.area != area:
            continue
        if entry.roles is not None and role not in entry.roles:
            continue
        kind = getattr(org, "kind", None)
        if entry.partner_kinds is not None and role == "partner" and kind not in entry.partner_kinds:
            continue
        shown.append(entry)
    return sorted(shown, key=lambda e: (e.order, e.label))
