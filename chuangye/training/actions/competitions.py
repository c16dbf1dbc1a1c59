"""Trainer competitions: creating one, judges and entrants, scores and the published results."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Role
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.training.actions.common import _audit, _date, _require_staff
from chuangye.training.models import Competition, Entrant, Score, Track, Trainer

AWARDS = ((1, "一等奖"), (3, "二等奖"), (6, "三等奖"))  # ranks up to 1, 3, 6 per track; the rest 优秀奖


def _rubric(text: str) -> list[dict[str, Any]]:
    items = []
    for number, line in enumerate((ln.strip() for ln in str(text or "").splitlines() if ln.strip()), start=1):
        name, _, maximum = line.rpartition(" ")
        if not name.strip() or not maximum.isdigit() or not 1 <= int(maximum) <= 100:
            raise FieldValueError("rubric", "评分细则", f"第{number}行格式应为“评分项 分值”，分值1至100")
        items.append({"item": name.strip()[:50], "max": int(maximum)})
    if not items:
        raise FieldValueError("rubric", "评分细则", "至少一个评分项")
    return items


@transaction.atomic
def competition_create(*, actor: Any, data: dict[str, Any], request: HttpRequest | None = None) -> Competition:
    _require_staff(actor, actor.region_code)
    title = str(data.get("title", "")).strip()
    if not 2 <= len(title) <= 100:
        raise FieldValueError("title", "赛事名称", "应为2至100个字")
    tracks = [t.strip()[:50] for t in str(data.get("tracks", "")).replace("，", ",").split(",") if t.strip()]
    if not tracks:
        raise FieldValueError("tracks", "赛道", "至少一个赛道，用逗号分隔")
    competition = Competition.objects.create(
        title=title,
        region_code=actor.region_code,
        held_on=_date(data.get("held_on"), "held_on", "比赛日期"),
        rubric=_rubric(str(data.get("rubric", ""))),
        created_by=actor,
    )
    for name in dict.fromkeys(tracks):
        Track.objects.create(competition=competition, name=name)
    _audit("competition_created", actor, competition, competition.region_code, request)
    return competition


def _open_competition(actor: Any, competition: Competition) -> Competition:
    _require_staff(actor, competition.region_code)
    if competition.state != Competition.State.OPEN:
        raise ConflictError("比赛结果已公布，不能再修改")
    return competition


@transaction.atomic
def competition_add_judge(
    *, actor: Any, competition: Competition, username: str, request: HttpRequest | None = None
) -> None:
    from chuangye.accounts.models import User

    _open_competition(actor, competition)
    judge = User.objects.filter(username=str(username).strip(), is_active=True).first()
    if judge is None or judge.role not in (Role.OFFICER, Role.SUPERVISOR, Role.MENTOR):
        raise FieldValueError("username", "评委账号", "未找到该人社部门人员或创业导师账号")
    competition.judges.add(judge)
    _audit("judge_added", actor, competition, competition.region_code, request, judge=judge.username)


@transaction.atomic
def competition_add_entrant(
    *,
    actor: Any,
    competition: Competition,
    track_id: object,
    certificate_number: str,
    request: HttpRequest | None = None,
) -> Entrant:
    _open_competition(actor, competition)
    track = competition.tracks.filter(pk=int(str(track_id)) if str(track_id).isdigit() else 0).first()
    if track is None:
        raise FieldValueError("track", "赛道", "请选择赛道")
    trainer = Trainer.objects.filter(certificate_number=str(certificate_number).strip()).first()
    if trainer is None:
        raise FieldValueError("certificate_number", "讲师资格证书编号", "未找到该讲师")
    if Entrant.objects.filter(track=track, trainer=trainer).exists():
        raise FieldValueError("certificate_number", "讲师资格证书编号", "该讲师已报名本赛道")
    entrant = Entrant.objects.create(track=track, trainer=trainer)
    _audit("entrant_added", actor, entrant, competition.region_code, request)
    return entrant


@transaction.atomic
def score_submit(*, actor: Any, entrant: Entrant, items: list[str], request: HttpRequest | None = None) -> Score:
    """A judge scores one entrant by the rubric, once."""
    competition = entrant.track.competition
    if not competition.judges.filter(pk=actor.pk).exists():
        raise DomainError("您不是本次比赛的评委", code="forbidden", status=403)
    if competition.state != Competition.State.OPEN:
        raise ConflictError("比赛结果已公布，不能再评分")
    if len(items) != len(competition.rubric):
        raise FieldValueError("score", "评分", "请逐项打分")
    values = []
    for rubric, raw in zip(competition.rubric, items, strict=True):
        try:
            value = Decimal(str(raw).strip())
        except ArithmeticError:
            raise FieldValueError("score", rubric["item"], "应为数字") from None
        if not value.is_finite() or value < 0 or value > rubric["max"] or value != value.quantize(Decimal("0.1")):
            raise FieldValueError("score", rubric["item"], f"应在0至{rubric['max']}之间，最多一位小数")
        values.append(value)
    try:
        with transaction.atomic():
            score = Score.objects.create(
                entrant=entrant, judge=actor, items=[str(v) for v in values], total=sum(values, Decimal(0))
            )
    except IntegrityError:
        raise ConflictError("您已为该选手评过分") from None
    _audit("scored", actor, score, competition.region_code, request)
    return score


def trimmed_mean(totals: list[Decimal]) -> Decimal:
    """The mean after dropping one highest and one lowest score (with at least three judges)."""
    ordered = sorted(totals)
    kept = ordered[1:-1] if len(ordered) >= 3 else ordered
    return (sum(kept, Decimal(0)) / len(kept)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def competition_publish(*, actor: Any, competition: Competition, request: HttpRequest | None = None) -> Competition:
    """Compute each entrant's final score, rank within each track, give awards and publish the results."""
    _open_competition(actor, competition)
    judges = competition.judges.count()
    if judges < 3:
        raise ConflictError("至少需要3名评委（去掉一个最高分和一个最低分）")
    entrants = list(Entrant.objects.filter(track__competition=competition).prefetch_related("scores"))
    if not entrants:
        raise ConflictError("还没有参赛选手")
    missing = [e.trainer.name for e in entrants if e.scores.count() < judges]
    if missing:
        raise ConflictError("以下选手尚未被全部评委评分：" + "、".join(missing[:10]))
    for track in competition.tracks.all():
        rows = [e for e in entrants if e.track_id == track.pk]
        for entrant in rows:
            entrant.final_score = trimmed_mean([s.total for s in entrant.scores.all()])
        rows.sort(key=lambda e: (-(e.final_score or 0), e.pk))
        rank = 0
        previous: Decimal | None = None
        for position, entrant in enumerate(rows, start=1):
            if entrant.final_score != previous:
                rank, previous = position, entrant.final_score
            entrant.rank = rank
            entrant.award = next((label for upto, label in AWARDS if rank <= upto), "优秀奖")
            entrant.save(update_fields=["final_score", "rank", "award"])
    competition.state, competition.published_at = Competition.State.PUBLISHED, timezone.now()
    competition.save(update_fields=["state", "published_at"])
    _audit("competition_published", actor, competition, competition.region_code, request)
    return competition
