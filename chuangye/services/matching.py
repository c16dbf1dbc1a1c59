"""Explainable matching: founders to mentors, job seekers to openings.

Every score is a sum of named parts, each with the points it earned, the most it could earn and a Chinese reason,
so the founder (and the officer) sees exactly why a mentor ranks where it does.

Founder ↔ mentor (100 points): industry 35, business stage 25, key group 20, region 15, spare capacity 5.
Mentors who are unavailable or full are not offered.
Seeker ↔ opening (100 points): shared words between what the seeker wants and does and what the opening asks 50,
region 30, pay 20.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q

from chuangye.policies.facts import KEY_GROUPS
from chuangye.registry.facts import person_facts
from chuangye.registry.models import Business, Industry, Person
from chuangye.services import search
from chuangye.services.models import Assignment, Mentor, Opening, SeekerProfile

STAGES = {"idea": "筹备期（尚未登记）", "startup": "初创期（登记不满3年）", "growth": "成长期（登记3年以上）"}
INDUSTRIES = dict(Industry.choices)
GROUPS = KEY_GROUPS

WEIGHTS = {"industry": 35, "stage": 25, "group": 20, "region": 15, "capacity": 5}


@dataclass(frozen=True)
class Part:
    code: str
    label: str
    points: int
    maximum: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "points": self.points,
            "max": self.maximum,
            "reason": self.reason,
        }


@dataclass
class Match:
    target: Any
    parts: list[Part] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(p.points for p in self.parts)

    def explanation(self) -> list[dict[str, Any]]:
        return [p.as_dict() for p in self.parts]


@dataclass(frozen=True)
class FounderProfile:
    person: Person
    business: Business | None
    industry: str
    stage: str
    groups: frozenset[str]
    region_code: str


def founder_profile(person: Person, on: dt.date) -> FounderProfile:
    """What matching knows of a founder: their newest operating business (industry, age), key groups, region."""
    business = (
        Business.objects.filter(founders__person=person, status=Business.Status.OPERATING)
        .order_by("-registered_on", "-pk")
        .first()
    )
    if business is None:
        stage, industry, region = "idea", "", person.region_code
    else:
        years = (on - business.registered_on).days / 365.25
        stage, industry, region = ("growth" if years >= 3 else "startup"), business.industry, business.region_code
    groups = frozenset(person_facts(person, on).get("key_groups", ()))
    return FounderProfile(person, business, industry, stage, groups, region)


def region_points(a: str, b: str, maximum: int) -> tuple[int, str]:
    """Full points in the same county, two thirds in the same city, one third in the same province."""
    if not a or not b:
        return 0, "地区不明"
    if a == b:
        return maximum, "同一县（市、区）"
    if a[:4] == b[:4]:
        return maximum * 2 // 3, "同一地市"
    if a[:2] == b[:2]:
        return maximum // 3, "同一省份"
    return 0, "不在同一省份"


def score_mentor(founder: FounderProfile, mentor: Mentor, active: int) -> Match:
    match = Match(mentor)
    w = WEIGHTS
    if founder.industry and founder.industry in mentor.industries:
        match.parts.append(
            Part("industry", "行业", w["industry"], w["industry"], f"擅长{INDUSTRIES.get(founder.industry, '')}")
        )
    else:
        wanted = INDUSTRIES.get(founder.industry, "") if founder.industry else "（尚未确定行业）"
        match.parts.append(Part("industry", "行业", 0, w["industry"], f"不擅长{wanted}"))
    stage = STAGES[founder.stage]
    if founder.stage in mentor.stages:
        match.parts.append(Part("stage", "创业阶段", w["stage"], w["stage"], f"擅长指导{stage}"))
    else:
        match.parts.append(Part("stage", "创业阶段", 0, w["stage"], f"不以{stage}为专长"))
    shared = sorted(founder.groups & set(mentor.groups))
    if shared:
        names = "、".join(GROUPS.get(g, g) for g in shared)
        match.parts.append(Part("group", "服务群体", w["group"], w["group"], f"服务{names}"))
    else:
        match.parts.append(Part("group", "服务群体", 0, w["group"], "服务群体不含创业者所属群体"))
    points, reason = region_points(founder.region_code, mentor.region_code, w["region"])
    match.parts.append(Part("region", "地区", points, w["region"], reason))
    spare = max(mentor.capacity - active, 0)
    cap_points = (w["capacity"] * spare) // mentor.capacity if mentor.capacity else 0
    match.parts.append(
        Part("capacity", "辅导余量", cap_points, w["capacity"], f"还可辅导{spare}人（共{mentor.capacity}人）")
    )
    return match


def mentors_with_load() -> Any:
    """Mentors with their number of active pairings and their founders' average satisfaction rating."""
    return Mentor.objects.annotate(
        active=Count("assignments", filter=Q(assignments__state=Assignment.State.ACTIVE)),
        rating=Avg("assignments__rating"),
        rated=Count("assignments__rating"),
    )


def rank_mentors(founder: FounderProfile, *, limit: int = 10) -> list[Match]:
    """Mentors who can take one more founder, best match first (ties: more spare capacity, then name)."""
    already = set(
        Assignment.objects.filter(person=founder.person, state=Assignment.State.ACTIVE).values_list(
            "mentor_id", flat=True
        )
    )
    matches = []
    for mentor in mentors_with_load().filter(available=True).select_related("user"):
        if mentor.active >= mentor.capacity or mentor.pk in already or not mentor.user.is_active:
            continue
        matches.append(score_mentor(founder, mentor, mentor.active))
    matches.sort(key=lambda m: (-m.score, m.target.active, m.target.name, m.target.pk))
    return matches[:limit]


JOB_WEIGHTS = {"words": 50, "region": 30, "pay": 20}


def score_opening(seeker: SeekerProfile, opening: Opening) -> Match:
    match = Match(opening)
    w = JOB_WEIGHTS
    wanted = set(search.query_tokens(f"{seeker.desired_role} {seeker.skills}"))
    offered = set(search.index_text(opening.role, opening.requirements).split())
    shared = sorted(wanted & offered)
    points = min(w["words"], w["words"] * len(shared) // max(min(len(wanted), 4), 1))
    reason = f"共同关键词：{'、'.join(shared[:6])}" if shared else "意向与技能与岗位要求没有共同关键词"
    match.parts.append(Part("words", "岗位与技能", points, w["words"], reason))
    points, reason = region_points(seeker.region_code, opening.region_code, w["region"])
    match.parts.append(Part("region", "地区", points, w["region"], reason))
    if opening.pay_max >= seeker.expected_pay:
        match.parts.append(Part("pay", "薪酬", w["pay"], w["pay"], f"月薪上限{opening.pay_max}元不低于期望"))
    else:
        gap = seeker.expected_pay - opening.pay_max
        half = w["pay"] // 2 if gap <= seeker.expected_pay * Decimal("0.2") else 0
        match.parts.append(Part("pay", "薪酬", half, w["pay"], f"月薪上限低于期望{gap}元"))
    return match


def rank_openings(seeker: SeekerProfile, openings: Any, *, limit: int = 20) -> list[Match]:
    matches = [score_opening(seeker, o) for o in openings]
    matches.sort(key=lambda m: (-m.score, -m.target.pk))
    return matches[:limit]
