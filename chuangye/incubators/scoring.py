"""The transparent priority score of a space application.

Every point comes from one line the applicant sees, with the weight (a regional parameter) that gave it:

- key group: the applicant's highest-weighted group counts once (就业困难人员 and 脱贫人口 weigh more than the other
  groups); each further group adds a small bonus, so belonging to several groups helps but does not multiply;
- jobs the project plans to create: points per job up to a cap;
- first-time founders (no market entity founded yet) get a bonus.

Ties are broken by submission time (earlier first). The function is pure: no database, so it is tested alone.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Groups weighted with ``incubators.score.employment_difficulty`` instead of ``incubators.score.key_group``.
HARDSHIP_GROUPS = frozenset({"employment_difficulty", "poverty_alleviated"})

WEIGHT_NAMES = (
    "incubators.score.key_group",
    "incubators.score.employment_difficulty",
    "incubators.score.extra_group",
    "incubators.score.per_planned_job",
    "incubators.score.planned_jobs_cap",
    "incubators.score.first_business",
)


@dataclass(frozen=True)
class ScoreLine:
    code: str
    label: str
    points: int
    rule: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "points": self.points, "rule": self.rule}


def priority_score(
    *,
    key_groups: Iterable[str],
    planned_jobs: int,
    first_business: bool,
    weights: Mapping[str, int],
    group_labels: Mapping[str, str] | None = None,
) -> tuple[int, list[ScoreLine]]:
    """The score and its lines. ``weights`` maps each name in ``WEIGHT_NAMES`` to a non-negative integer."""
    labels = group_labels or {}
    groups = sorted(set(key_groups))
    lines: list[ScoreLine] = []
    if groups:
        hardship_weight = weights["incubators.score.employment_difficulty"]
        plain_weight = weights["incubators.score.key_group"]

        def weight(group: str) -> int:
            return hardship_weight if group in HARDSHIP_GROUPS else plain_weight

        top = max(groups, key=lambda g: (weight(g), g))
        lines.append(
            ScoreLine(
                "key_group",
                f"重点群体：{labels.get(top, top)}",
                weight(top),
                "所属重点群体中权重最高的一项计分",
            )
        )
        others = [g for g in groups if g != top]
        if others:
            extra = weights["incubators.score.extra_group"]
            lines.append(
                ScoreLine(
                    "extra_groups",
                    "同时属于：" + "、".join(labels.get(g, g) for g in others),
                    extra * len(others),
                    f"每多属于一类重点群体加{extra}分",
                )
            )
    if planned_jobs > 0:
        per_job = weights["incubators.score.per_planned_job"]
        cap = weights["incubators.score.planned_jobs_cap"]
        lines.append(
            ScoreLine(
                "planned_jobs",
                f"计划带动就业{planned_jobs}人",
                min(planned_jobs * per_job, cap),
                f"每人{per_job}分，最多{cap}分",
            )
        )
    if first_business:
        bonus = weights["incubators.score.first_business"]
        lines.append(ScoreLine("first_business", "首次创业", bonus, f"名下尚无市场主体的加{bonus}分"))
    return sum(line.points for line in lines), lines
