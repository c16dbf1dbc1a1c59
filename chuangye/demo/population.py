"""Bulk synthetic population: registrants with key-group statuses (certified, expired, pending, rejected, revoked,
each with its history) and businesses with their founders. Used by ``seed_demo`` and ``generate_population``.

Everything is written in batches through ``bulkload.insert_objects`` (COPY on PostgreSQL), encrypting in Python as rows
are built; each batch is its own transaction, so an interrupted run keeps what it finished and a second run adds only
what is missing.
"""

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from chuangye.core.dates import add_months
from chuangye.core.ids import ENTITY_KINDS, build_credit_code, encode_org_body
from chuangye.core.models import Region
from chuangye.demo.bulkload import insert_objects
from chuangye.demo.people import RURAL_HUKOU, synthetic_people
from chuangye.registry.models import (
    Business,
    Founder,
    Industry,
    KeyGroupCategory,
    KeyGroupEvent,
    KeyGroupStatus,
    Person,
)

State = KeyGroupStatus.State
History = tuple[str, str, dt.datetime, str]  # (from state, to state, when, note): one KeyGroupEvent
# What becomes of a declaration: mostly certified and in force, some expired, some waiting in the officers' queue.
OUTCOMES = ("in_force", "expired", "pending", "rejected", "revoked")
OUTCOME_WEIGHTS = (60, 15, 15, 5, 5)
RURAL_GROUPS = {"returning_migrant", "rural_self_employed", "poverty_alleviated", "51_landless", "51_poverty_labour"}
CATEGORY_WEIGHTS = {"graduate": 12, "51_graduate_6m": 6, "51_4050": 3, "returning_migrant": 3, "new_citizen": 2}
INDUSTRY_WORDS = {
    "A": "生态农业",
    "B": "矿产",
    "C": "食品加工",
    "D": "新能源",
    "E": "建筑装饰",
    "F": "商贸",
    "G": "物流",
    "H": "餐饮",
    "I": "网络科技",
    "J": "金融信息服务",
    "K": "物业管理",
    "L": "商务咨询",
    "M": "技术服务",
    "N": "环境工程",
    "O": "家政服务",
    "P": "教育咨询",
    "Q": "健康管理",
    "R": "文化传媒",
    "S": "社区服务",
    "T": "国际交流服务",
}
INDUSTRY_WEIGHTS = {"A": 6, "C": 8, "E": 5, "F": 25, "G": 6, "H": 20, "I": 10, "L": 6, "M": 5, "O": 8, "R": 4}


@dataclass
class PopulationResult:
    created: int = 0
    existing: int = 0
    key_groups: int = 0
    businesses: int = 0


@dataclass
class Population:
    """What to generate. ``deciders`` maps a residence region to the officer recorded as certifying there."""

    count: int
    seed: int
    residence_regions: list[str]
    key_group_share: float = 0.35
    business_share: float = 0.05
    deciders: dict[str, Any] = field(default_factory=dict)
    batch_size: int = 2000


def populate(spec: Population, progress: Callable[[PopulationResult], None] | None = None) -> PopulationResult:
    """Ensure the first ``spec.count`` people of ``spec.seed`` exist, with statuses and businesses for new ones."""
    result = PopulationResult()
    today = timezone.localdate()
    categories = list(KeyGroupCategory.objects.filter(is_active=True).order_by("pk"))
    names = dict(Region.objects.filter(code__in=spec.residence_regions).values_list("code", "name"))
    people = synthetic_people(spec.count, residence_regions=spec.residence_regions, seed=spec.seed, today=today)
    for batch in _batched(people, spec.batch_size):
        registered = set(
            Person.objects.filter(id_number_index__in=[p.id_number_index for p in batch]).values_list(
                "id_number_index", flat=True
            )
        )
        new = [p for p in batch if p.id_number_index not in registered]
        with transaction.atomic():
            _insert_people(new)
            result.key_groups += _key_groups(new, spec, categories, today)
            result.businesses += _businesses(new, spec, names, today)
        result.created += len(new)
        result.existing += len(batch) - len(new)
        if progress is not None:
            progress(result)
    return result


def _insert_people(people: list[Person]) -> None:
    """Insert and learn each new person's id (found again by the unique blind index)."""
    insert_objects(Person, people)
    indexes = [p.id_number_index for p in people]
    ids = dict(Person.objects.filter(id_number_index__in=indexes).values_list("id_number_index", "pk"))
    for person in people:
        person.pk = ids[person.id_number_index]
        person._state.adding = False


def _batched(items: Iterator[Person], size: int) -> Iterator[list[Person]]:
    while batch := list(itertools.islice(items, size)):
        yield batch


def _rng(spec: Population, person: Person, salt: int) -> random.Random:
    # Seeded by the person's slot: the same person gets the same statuses whichever batch or run creates them.
    slot: int = person.slot.index  # type: ignore[attr-defined]
    return random.Random(slot * 7919 + spec.seed * 104_729 + salt)  # noqa: S311 - synthetic data


def _fits(category: KeyGroupCategory, person: Person, today: dt.date) -> bool:
    """Whether a synthetic person plausibly belongs to a group: graduates are recent, 4050 is an age, and so on."""
    if category.province_code and not person.region_code.startswith(category.province_code):
        return False
    age = today.year - person.birth_date.year
    code = category.code
    if code in ("graduate", "51_graduate_6m"):
        return person.graduation_date is not None and (today - person.graduation_date).days < 3 * 365
    if code == "51_4050":
        return age >= (40 if person.sex == Person.Sex.FEMALE else 50)
    if code in RURAL_GROUPS:
        return person.hukou_region_code in RURAL_HUKOU
    if code == "new_citizen":
        return person.hukou_region_code[:4] != person.region_code[:4]
    return True


def _key_groups(people: list[Person], spec: Population, categories: list[KeyGroupCategory], today: dt.date) -> int:
    statuses: list[KeyGroupStatus] = []
    histories: list[list[History]] = []
    for person in people:
        rng = _rng(spec, person, 1)
        if rng.random() >= spec.key_group_share:
            continue
        fitting = [c for c in categories if _fits(c, person, today)]
        chosen = _pick(fitting, rng)
        if rng.random() < 0.15:  # some people belong to two groups
            chosen += _pick([c for c in fitting if c not in chosen], rng)
        for category in chosen:
            outcome = rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS)[0]
            status, history = _status(person, category, outcome, rng, today, spec.deciders.get(person.region_code))
            statuses.append(status)
            histories.append(history)
    insert_objects(KeyGroupStatus, statuses)
    ids = {
        (person_id, category_id): pk
        for person_id, category_id, pk in KeyGroupStatus.objects.filter(
            person_id__in=[p.pk for p in people]
        ).values_list("person_id", "category_id", "pk")
    }
    events = [
        KeyGroupEvent(
            status_id=ids[st.person_id, st.category_id],
            at=at,
            actor_id=None if to == State.PENDING else st.decided_by_id,
            from_state=old,
            to_state=to,
            note=note,
        )
        for st, history in zip(statuses, histories, strict=True)
        for old, to, at, note in history
    ]
    insert_objects(KeyGroupEvent, events)
    return len(statuses)


def _pick(categories: list[KeyGroupCategory], rng: random.Random) -> list[KeyGroupCategory]:
    """One category, favouring the narrow ones: a recent graduate is far more often certified as a graduate than as,
    say, a veteran, and the demo needs every category represented."""
    if not categories:
        return []
    weights = [CATEGORY_WEIGHTS.get(c.code, 1) for c in categories]
    return rng.choices(categories, weights=weights)


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _status(
    person: Person, category: KeyGroupCategory, outcome: str, rng: random.Random, today: dt.date, decider: Any
) -> tuple[KeyGroupStatus, list[History]]:
    months = category.default_valid_months
    if outcome == "pending":
        start = today - dt.timedelta(days=rng.randrange(0, 20))
    elif outcome == "in_force":
        start = today - dt.timedelta(days=rng.randrange(0, 300 if months else 1500))
    else:
        start = today - dt.timedelta(days=rng.randrange(400, 1500))
    if outcome == "pending" or outcome == "rejected":
        end = None
    elif months:
        end = add_months(start, months) - dt.timedelta(days=1)
    else:
        end = None if outcome == "in_force" else start + dt.timedelta(days=364)
    declared = _moment(start - dt.timedelta(days=rng.randrange(1, 10)), 9)
    history: list[History] = [("", State.PENDING, declared, "申报")]
    status = KeyGroupStatus(
        person=person,
        category=category,
        valid_from=start,
        valid_to=end,
        region_code=person.region_code,
        declared_at=declared,
        declaration="本人申报，证明材料见附件",
    )
    if outcome == "pending":
        return status, history
    status.decided_by, status.decided_at = decider, _moment(start, 15)
    if outcome == "rejected":
        status.state, status.decision_note = State.REJECTED, "证明材料不足，不予认定"
        return status, [*history, (State.PENDING, State.REJECTED, status.decided_at, status.decision_note)]
    status.state, status.decision_note = State.CERTIFIED, "材料齐全，予以认定"
    history.append((State.PENDING, State.CERTIFIED, status.decided_at, status.decision_note))
    if outcome == "revoked":
        status.state = State.REVOKED
        history.append((State.CERTIFIED, State.REVOKED, _moment(start + dt.timedelta(days=60), 10), "经核查不符合条件"))
    return status, history


def _businesses(people: list[Person], spec: Population, names: dict[str, str], today: dt.date) -> int:
    businesses: list[Business] = []
    for person in people:
        rng = _rng(spec, person, 2)
        if rng.random() >= spec.business_share:
            continue
        businesses.append(_business(person, rng, names.get(person.region_code, ""), today))
    insert_objects(Business, businesses)
    codes = [b.credit_code for b in businesses]
    ids = dict(Business.objects.filter(credit_code__in=codes).values_list("credit_code", "pk"))
    founders = [
        Founder(
            business_id=ids[b.credit_code],
            person=b.legal_representative,
            role=Founder.Role.OPERATOR if b.kind == Business.Kind.INDIVIDUAL else Founder.Role.LEGAL_REP,
            share_percent=None if b.kind == Business.Kind.INDIVIDUAL else b.share,  # type: ignore[attr-defined]
        )
        for b in businesses
    ]
    insert_objects(Founder, founders)
    return len(businesses)


def _business(person: Person, rng: random.Random, district: str, today: dt.date) -> Business:
    rural = person.hukou_region_code in RURAL_HUKOU
    kind = rng.choices(list(Business.Kind), weights=(35, 57, 8 if rural else 0))[0]
    sections = [s for s in Industry.values if s != "T"]
    industry = (
        "A"
        if kind == Business.Kind.COOPERATIVE
        else rng.choices(sections, weights=[INDUSTRY_WEIGHTS.get(s, 1) for s in sections])[0]
    )
    brand = person.name[1:] or person.name
    word = INDUSTRY_WORDS[industry]
    name = {
        Business.Kind.INDIVIDUAL: f"{district}{brand}{word}店",
        Business.Kind.ENTERPRISE: f"成都{brand}{word}有限公司",
        Business.Kind.COOPERATIVE: f"{district}{brand}种养殖专业合作社",
    }[kind]
    slot = person.slot.index  # type: ignore[attr-defined]
    business = Business(
        credit_code=build_credit_code("9", ENTITY_KINDS[kind], person.region_code, encode_org_body(slot, prefix="P")),
        name=name[:100],
        kind=kind,
        legal_representative=person,
        registered_on=today - dt.timedelta(days=rng.randrange(30, 2500)),
        region_code=person.region_code,
        industry=industry,
        headcount={"individual": rng.randint(1, 5), "enterprise": rng.randint(2, 60)}.get(kind, rng.randint(5, 30)),
        status=rng.choices(list(Business.Status), weights=(85, 5, 10))[0],
        is_small_micro=True,
    )
    business.share = rng.choice((51, 60, 70, 80, 100))  # type: ignore[attr-defined]
    return business
