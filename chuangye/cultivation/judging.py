"""Competition judging arithmetic. Pure: no models.

- A judge's total for an entry is the sum of their scores on the rubric's criteria (each 0..criterion maximum).
- An entry's stage score is the mean of its judges' totals; with five judges or more the single highest and single
  lowest totals are dropped first (去掉一个最高分和一个最低分). Rounded half-up to two decimals.
- A judge from the entry's own organisation is excluded (回避): their scores are neither asked for nor counted.
- Ranking: by score, highest first; equal scores share a rank and the next rank is skipped (1, 2, 2, 4).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TRIM_FROM = 5  # judges needed before the highest and lowest totals are dropped
SCORE_PLACES = Decimal("0.01")


def conflicted(judge_organisation_id: int | None, entry_organisation_id: int | None) -> bool:
    """A judge must stand aside from an entry of their own organisation."""
    return judge_organisation_id is not None and judge_organisation_id == entry_organisation_id


def judge_total(scores: Mapping[int, Decimal], maxima: Mapping[int, Decimal]) -> Decimal:
    """One judge's total over the rubric; every criterion must be scored within its maximum."""
    if set(scores) != set(maxima):
        raise ValueError("every criterion needs a score")
    for criterion, value in scores.items():
        if not 0 <= value <= maxima[criterion]:
            raise ValueError("score out of range")
    return sum(scores.values(), Decimal(0))


def entry_score(totals: Sequence[Decimal]) -> Decimal:
    """The entry's score from its judges' totals (trimmed mean from five judges up)."""
    if not totals:
        raise ValueError("no scores")
    ordered = sorted(totals)
    counted = ordered[1:-1] if len(ordered) >= TRIM_FROM else ordered
    mean = sum(counted, Decimal(0)) / len(counted)
    return mean.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Ranked:
    entry_id: int
    score: Decimal
    rank: int


def rank(scores: Mapping[int, Decimal]) -> list[Ranked]:
    """Standard competition ranking; among equal scores the earlier entry (lower id) is listed first."""
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    result: list[Ranked] = []
    for position, (entry_id, score) in enumerate(ordered, start=1):
        shared = result[-1].rank if result and result[-1].score == score else position
        result.append(Ranked(entry_id, score, shared))
    return result
