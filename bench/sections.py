"""Marked sections of bench/README.md: each benchmark (and the load run) owns the text between its two markers and
replaces only that, so the scripts can run in any order and leave each other's tables alone."""

from pathlib import Path


def write_section(path: Path, marker: str, end_marker: str, text: str) -> None:
    """Put ``text`` between ``marker`` and ``end_marker`` in ``path`` (appending both markers if absent)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if marker in old and end_marker in old:
        before, rest = old.split(marker, 1)
        after = rest.split(end_marker, 1)[1]
        new = f"{before}{marker}\n{text}\n{end_marker}{after}"
    else:
        new = f"{old.rstrip()}\n\n{marker}\n{text}\n{end_marker}\n"
    path.write_text(new, encoding="utf-8")
