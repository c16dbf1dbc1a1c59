"""What the batch compiler knows about a frame before compiling for it (see ``plcompile``)."""

from dataclasses import dataclass

import polars as pl

from chuangye.policies import batch_dates as bd


@dataclass(frozen=True)
class Profile:
    """What is known about a frame's fact columns before compiling for it: which are present (an absent column
    is all null, so it compiles to a constant), which hold no null, and which date columns lie wholly inside the
    calendar tables' domain. The compiled plan is specialised to this, so null handling that cannot apply is left
    out; ``None`` for a set means "nothing known" (every column present, any may be null)."""

    present: frozenset[str] | None = None
    complete: frozenset[str] = frozenset()
    in_domain: frozenset[str] = frozenset()

    @classmethod
    def of(cls, frame: pl.DataFrame) -> "Profile":
        complete, dated = [], []
        for series in frame.iter_columns():
            if series.null_count() == 0:
                complete.append(series.name)
            if series.dtype == pl.Date and bd.in_domain(series.min(), series.max()):  # type: ignore[arg-type]
                dated.append(series.name)
        return cls(frozenset(frame.columns), frozenset(complete), frozenset(dated))

    def has(self, name: str) -> bool:
        return self.present is None or name in self.present
