"""Synthetic registrants with valid ID numbers, for the demo and for scale tests. Deterministic for a seed, so
running it twice produces the same people (and inserts nothing the second time)."""

import datetime as dt
import random
from collections.abc import Iterator

from chuangye.core.ids import Sex, generate_resident_id
from chuangye.demo.names import synthetic_name
from chuangye.registry.models import Person

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


def synthetic_people(count: int, *, residence_regions: list[str], seed: int = 81) -> Iterator[Person]:
    """Yield unsaved ``Person`` rows; the (region, birth date, sequence) triple keeps ID numbers unique."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    used: set[str] = set()
    while len(used) < count:
        sex: Sex = "M" if rng.random() < 0.52 else "F"
        hukou = rng.choice(HUKOU_REGIONS)
        birth = dt.date(1966, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
        number = generate_resident_id(hukou, birth, sex, rng.randrange(0, 500))
        if number in used:
            continue
        used.add(number)
        person = Person(
            name=synthetic_name(rng, sex),
            sex=sex,
            birth_date=birth,
            hukou_region_code=hukou,
            region_code=rng.choice(residence_regions),
        )
        person.set_id_number(number)
        person.set_phone(f"1{rng.choice('3589')}{rng.randrange(0, 10**9):09d}")
        yield person
