"""The arithmetic of the app, free of the database so it can be tested alone (hypothesis where it fits): the key-group
reserve of government-funded carriers, booking overlaps, incubation end dates and the quality indicators.
"""

import calendar
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

# Key-group reserve --------------------------------------------------------------------------------------------


def reserved_spaces(total: int, share: Fraction) -> int:
    """Spaces a government-funded carrier keeps for key groups: the share of its usable spaces, rounded up (a
    share of a space is a whole space: 15% of 10 desks keeps 2)."""
    if total <= 0 or share <= 0:
        return 0
    return min(total, math.ceil(total * share))


def quota_refusal(
    *, government_funded: bool, key_group: bool, total: int, other_open: int, share: Fraction
) -> str | None:
    """Why allocating one more space to a non-key-group applicant would break the reserve, or None.

    ``total`` counts the carrier's usable spaces (not out of service); ``other_open`` the spaces already held under
    open contracts by applicants outside the key groups. Key-group applicants are never refused by the reserve,
    nor is anyone in a carrier that is not government-funded."""
    if not government_funded or key_group:
        return None
    reserve = reserved_spaces(total, share)
    if other_open + 1 > total - reserve:
        return (
            f"政府投资开发的孵化载体须为重点群体保留不少于{_pct(share)}的场地（共{total}个可用场地，保留{reserve}个），"
            f"非重点群体已占用{other_open}个，不能再分配给非重点群体申请人"
        )
    return None


def _pct(share: Fraction) -> str:
    percent = share * 100
    return f"{percent.numerator}%" if percent.denominator == 1 else f"{float(percent):.1f}%"


# Bookings -----------------------------------------------------------------------------------------------------


def overlaps(a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime, b_end: dt.datetime) -> bool:
    """Half-open intervals [start, end): a booking ending at 10:00 does not clash with one starting at 10:00."""
    return a_start < b_end and b_start < a_end


def first_conflict(
    start: dt.datetime, end: dt.datetime, existing: Iterable[tuple[dt.datetime, dt.datetime]]
) -> tuple[dt.datetime, dt.datetime] | None:
    return next((slot for slot in existing if overlaps(start, end, slot[0], slot[1])), None)


# Dates --------------------------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Indicators ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TenancyFacts:
    """What the indicators need of one contract."""

    moved_in_on: dt.date | None
    moved_out_on: dt.date | None
    end_date: dt.date
    outcome: str  # "in_incubation", "graduated", "exited" (others are ignored)
    jobs_created: int


def _ratio(part: int | Decimal, whole: int | Decimal) -> Fraction | None:
    if not whole:
        return None
    return Fraction(Decimal(part)) / Fraction(Decimal(whole))


def compute_indicators(
    *,
    year: int,
    spaces: Sequence[tuple[Decimal, bool]],
    tenancies: Sequence[TenancyFacts],
    events: int,
    staff: int,
    mentors: int,
    ratings: Sequence[int],
) -> dict[str, Any]:
    """The quality indicators of one carrier for ``year``.

    - utilisation: occupied area ÷ usable area of ``spaces`` ((area, occupied) for each usable space, today);
    - entities: tenants in incubation at any time in the year (moved in by its end, not out before its start);
    - success_rate: of the tenancies that ended in the year, the share that graduated (not early exits);
    - on_time_rate: of those that graduated in the year, the share that left by their contract's end date;
    - jobs_created: the jobs reported by the year's tenants;
    - satisfaction: the share of the year's survey ratings that are 4 or 5.
    Ratios with nothing to divide by are None (shown as "—", and not met)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    usable = sum((area for area, _ in spaces), Decimal(0))
    occupied = sum((area for area, taken in spaces if taken), Decimal(0))
    active = [
        t
        for t in tenancies
        if t.moved_in_on is not None
        and t.moved_in_on <= last
        and (t.moved_out_on is None or t.moved_out_on >= first)
        and t.outcome in ("in_incubation", "graduated", "exited")
    ]
    ended = [t for t in active if t.moved_out_on is not None and first <= t.moved_out_on <= last]
    graduated = [t for t in ended if t.outcome == "graduated"]
    on_time = [t for t in graduated if t.moved_out_on is not None and t.moved_out_on <= t.end_date]
    return {
        "year": year,
        "utilisation": _ratio(occupied, usable),
        "entities": len(active),
        "success_rate": _ratio(len(graduated), len(ended)),
        "on_time_rate": _ratio(len(on_time), len(graduated)),
        "jobs_created": sum(t.jobs_created for t in active),
        "events": events,
        "staff": staff,
        "mentors": mentors,
        "satisfaction": _ratio(sum(1 for r in ratings if r >= 4), len(ratings)),
        "surveys": len(ratings),
    }


def meets(indicator: Any, threshold: Any) -> bool:
    """A "not less than" criterion: no data (None) or no threshold set never passes."""
    return indicator is not None and threshold is not None and indicator >= threshold
