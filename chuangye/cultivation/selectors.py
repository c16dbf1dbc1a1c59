"""Reading nurturing records: a stage's ranking by the judging arithmetic, and what a loan application carries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from chuangye.cultivation import judging
from chuangye.cultivation.inputs import simulation_from_json
from chuangye.cultivation.models import Competition, LoanAttachment, Score, Stage, Submission
from chuangye.cultivation.simulator import Outcome, simulate, stressed
from chuangye.loans.access import applications_for
from chuangye.loans.case_types import OPEN_STATES
from chuangye.loans.models import LoanApplication


def current_stage(competition: Competition) -> Stage | None:
    """The earliest stage that still holds entries (entries move on as stages are decided)."""
    orders = Submission.objects.filter(competition=competition).values_list("stage__order", flat=True)
    lowest = min(orders, default=None)
    stages = competition.stages.order_by("order")
    return stages.filter(order=lowest).first() if lowest is not None else stages.first()


@dataclass
class RankedEntry:
    submission: Submission
    score: Decimal
    rank: int
    judges: int


@dataclass
class Ranking:
    stage: Stage
    rows: list[RankedEntry] = field(default_factory=list)
    unscored: list[tuple[Submission, int, int]] = field(default_factory=list)  # entry, judges done, judges due


def stage_ranking(competition: Competition, stage: Stage) -> Ranking:
    """Entries that reached ``stage``, ranked by their stage score. An entry is ranked once every judge who may
    judge it (not from its organisation) has scored every criterion; the others are listed as unscored."""
    criteria = competition.criteria.count()
    judges = list(competition.judges.select_related("user"))
    entries = list(
        Submission.objects.filter(competition=competition, stage__order__gte=stage.order).select_related("person")
    )
    sheets: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for sub_id, judge_id, value in Score.objects.filter(stage=stage, submission__in=entries).values_list(
        "submission_id", "judge_id", "value"
    ):
        sheets[(sub_id, judge_id)].append(value)
    scores: dict[int, Decimal] = {}
    counted: dict[int, int] = {}
    ranking = Ranking(stage=stage)
    for entry in entries:
        eligible = [j for j in judges if not judging.conflicted(j.user.organisation_id, entry.organisation_id)]
        done = [
            sum(sheets[(entry.pk, j.pk)], Decimal(0)) for j in eligible if len(sheets[(entry.pk, j.pk)]) == criteria
        ]
        if not eligible or len(done) < len(eligible) or criteria == 0:
            ranking.unscored.append((entry, len(done), len(eligible)))
            continue
        scores[entry.pk] = judging.entry_score(done)
        counted[entry.pk] = len(done)
    by_id = {e.pk: e for e in entries}
    ranking.rows = [RankedEntry(by_id[r.entry_id], r.score, r.rank, counted[r.entry_id]) for r in judging.rank(scores)]
    return ranking


def open_applications(user: Any) -> QuerySet[LoanApplication]:
    """The citizen's own loan applications still in progress (the ones an assessment may be attached to)."""
    return applications_for(user).filter(case__state__in=OPEN_STATES).select_related("case").order_by("-pk")


@dataclass
class AttachmentView:
    link: LoanAttachment
    base: Outcome | None
    stress: Outcome | None


def attachment_for(application: LoanApplication) -> AttachmentView | None:
    link = (
        LoanAttachment.objects.filter(application=application)
        .select_related("assessment", "simulation")
        .prefetch_related("assessment__notes__author")
        .first()
    )
    if link is None:
        return None
    base = stress = None
    if link.simulation is not None:
        inputs = simulation_from_json(link.simulation.inputs)
        base, stress = simulate(inputs), simulate(stressed(inputs))
    return AttachmentView(link, base, stress)
