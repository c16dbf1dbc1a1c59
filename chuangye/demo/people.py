"""Synthetic registrants with valid ID numbers, for the demo and for scale tests. Deterministic for a seed: the
first N people of a seed are always the same, so running twice inserts nothing the second time, and asking for more
people later adds only the new ones.

ID numbers never collide within a seed, at any scale: person ``i`` takes slot ``(A*i + B) mod M`` of the
M = regions × days × sexes × 500 possible (household region, birth date, sex, sequence) combinations. With A
coprime to M that map is a permutation, so distinct people get distinct slots, and consecutive people land far
apart (a spread of birth dates and regions) without a table of used numbers. Two seeds can meet only by chance
(about N/M), and callers skip numbers already registered.
"""

import datetime as dt
import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

from chuangye.core.ids import Sex, generate_resident_id
from chuangye.demo.names import synthetic_name
from chuangye.registry.models import Education, Employment, Person, pinyin_initials

# Places of household registration: the two demo counties, rural Sichuan counties (returning migrant workers)
# and a few other provinces (graduates and new citizens who moved to Chengdu).
HUKOU_REGIONS = [
    "510104",
    "510107",
    "510129",
    "510131",
    "511623",
    "511921",
    "513433",
    "500235",
    "420111",
    "610113",
]
RURAL_HUKOU = {"510129", "510131", "511623", "511921", "513433", "500235"}
FIRST_BIRTH = dt.date(1966, 1, 1)
DAYS = 365 * 40  # births from 1966 to 2005: people of working age in the demo years
SEQUENCES = 500  # generate_resident_id's order codes per region, day and sex
SLOTS = len(HUKOU_REGIONS) * DAYS * 2 * SEQUENCES
STRIDE = 90_210_233  # odd, not a multiple of 5 or 73: coprime to SLOTS (2^7 · 5^6 · 73)
SCHOOLS = (
    "四川大学",
    "电子科技大学",
    "西南交通大学",
    "西南财经大学",
    "成都理工大学",
    "四川师范大学",
    "西华大学",
    "成都大学",
    "成都职业技术学院",
    "四川交通职业技术学院",
)


@dataclass(frozen=True)
class Slot:
    hukou: str
    birth_date: dt.date
    sex: Sex
    sequence: int
    index: int  # the slot number itself: unique per ID number, reused to derive other unique codes


def slot_for(i: int, seed: int) -> Slot:
    """The (household region, birth date, sex, sequence) of person ``i`` of ``seed``; a bijection on 0..SLOTS-1."""
    slot = (STRIDE * i + seed * 2_654_435_761) % SLOTS
    rest, sequence = divmod(slot, SEQUENCES)
    rest, day = divmod(rest, DAYS)
    sex_digit, region = divmod(rest, len(HUKOU_REGIONS))
    sex: Sex = "M" if sex_digit else "F"
    return Slot(HUKOU_REGIONS[region], FIRST_BIRTH + dt.timedelta(days=day), sex, sequence, slot)


@functools.cache
def _char_initial(char: str) -> str:
    return pinyin_initials(char)


def _initials(name: str) -> str:
    """``pinyin_initials`` one character at a time, cached: pinyin conversion was the slowest step per person.
    For the generator's alphabet this equals converting the whole name (checked over all 337,400 names)."""
    return "".join(_char_initial(char) for char in name)


def synthetic_people(
    count: int, *, residence_regions: list[str], seed: int = 81, today: dt.date | None = None
) -> Iterator[Person]:
    """Yield ``count`` unsaved ``Person`` rows, the first ``count`` of ``seed``; each has ``slot`` set."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    today = today or timezone.localdate()
    for i in range(count):
        slot = slot_for(i, seed)
        number = generate_resident_id(slot.hukou, slot.birth_date, slot.sex, slot.sequence)
        name = synthetic_name(rng, slot.sex)
        person = Person(
            name=name,
            name_initials=_initials(name),
            sex=slot.sex,
            birth_date=slot.birth_date,
            hukou_region_code=slot.hukou,
            region_code=rng.choice(residence_regions),
        )
        _schooling(person, rng, today)
        person.set_id_number(number)
        person.set_phone(f"1{rng.choice('3589')}{rng.randrange(0, 10**9):09d}")
        person.slot = slot  # type: ignore[attr-defined]
        yield person


def _schooling(person: Person, rng: random.Random, today: dt.date) -> None:
    """Education, school and employment plausible for the person's age."""
    age = today.year - person.birth_date.year
    young = age <= 30
    weights = (5, 20, 25, 40, 9, 1) if young else (35, 35, 15, 13, 2, 0)
    levels = [Education.JUNIOR, Education.SENIOR, Education.COLLEGE, Education.BACHELOR, Education.MASTER]
    person.education = rng.choices([*levels, Education.DOCTOR], weights=weights)[0]
    finish_age = {Education.COLLEGE: 21, Education.BACHELOR: 22, Education.MASTER: 25, Education.DOCTOR: 28}
    if person.education in finish_age:
        person.school = rng.choice(SCHOOLS)
        graduated = dt.date(person.birth_date.year + finish_age[person.education], 6, 30)
        person.graduation_date = graduated if graduated <= today else None
    if person.education in finish_age and person.graduation_date is None:
        person.employment = Employment.STUDENT
    else:
        person.employment = rng.choices(
            [Employment.EMPLOYED, Employment.FLEXIBLE, Employment.UNEMPLOYED, Employment.SELF_EMPLOYED],
            weights=(45, 25, 20, 10),
        )[0]
