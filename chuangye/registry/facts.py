"""The one adapter from the platform's records to the policy engine's facts (the engine never reads models).

``person_facts`` gives one person's facts as of a date, as the JSON-shaped dictionary the engine's vocabulary
accepts; ``people_facts`` does the same for many people with a fixed number of queries, for scans. Apps that hold
facts of their own (loans: earlier guaranteed loans and arrears; flexible employment: registration, social-insurance
contributions; training: courses and certificates) add a provider with ``register_provider``.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import polars as pl
from django.db.models import Min, Q

from chuangye.registry.models import Employment, Founder, KeyGroupStatus, Person
from chuangye.registry.selectors import in_force

# (person ids, on) -> {person id: {fact: value}}, for those ids only; called once per batch, so a provider costs a
# few queries. A provider selects its rows with ``ids_filter``.
Provider = Callable[[list[int], dt.date], dict[int, dict[str, Any]]]
_PROVIDERS: list[Provider] = []

# A scan reads people in batches of up to 100,000 in id order. As a list, so many ids make the query itself the
# cost: building and quoting an IN list of 100,000 items took ~9 of the 10 s of a scan of 100,000 people on
# PostgreSQL (three providers, 2026-11-27). Many ids close together are read as the range they span instead, and
# the caller keeps the rows of its own ids.
_RANGE_FROM = 1000
_RANGE_SPREAD = 4  # a range at most this many times as wide as the number of ids

EMPLOYED = {Employment.EMPLOYED, Employment.SELF_EMPLOYED}


def ids_filter(ids: list[int], field: str = "person_id") -> Q:
    """Rows whose ``field`` is one of ``ids``, or, for many ids close together, within the range they span (the
    caller then drops the rows of other ids)."""
    if len(ids) >= _RANGE_FROM:
        low, high = min(ids), max(ids)
        if high - low < _RANGE_SPREAD * len(ids):
            return Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return Q(**{f"{field}__in": ids})


def register_provider(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def _base(person: Person) -> dict[str, Any]:
    facts: dict[str, Any] = {"birth_date": person.birth_date.isoformat(), "sex": person.sex}
    if person.graduation_date:
        facts["graduation_date"] = person.graduation_date.isoformat()
    if person.employment != Employment.UNKNOWN:
        facts["employed"] = person.employment in EMPLOYED
        facts["flexible_employment_registered"] = person.employment == Employment.FLEXIBLE
    return facts


def people_facts(people: Iterable[Person], on: dt.date) -> dict[int, dict[str, Any]]:
    """Facts for each person on ``on``: identity, key groups in force that day, first business, then providers."""
    people = list(people)
    ids = [p.pk for p in people]
    groups: dict[int, set[str]] = defaultdict(set)
    statuses = KeyGroupStatus.objects.filter(in_force(on), ids_filter(ids)).values_list("person_id", "category__fact")
    for person_id, fact in statuses:
        groups[person_id].add(fact)
    started = dict(
        Founder.objects.filter(ids_filter(ids), business__registered_on__lte=on)
        .values("person_id")
        .annotate(first=Min("business__registered_on"))
        .values_list("person_id", "first")
    )
    result: dict[int, dict[str, Any]] = {}
    for person in people:
        facts = _base(person)
        facts["key_groups"] = sorted(groups.get(person.pk, ()))
        if person.pk in started:
            facts["business_started_on"] = started[person.pk].isoformat()
            # Assumption: a person whose earliest business is the one in question is a first-time founder; the
            # registry cannot see businesses registered before the platform, so the case worker may correct it.
            facts["first_business"] = True
        result[person.pk] = facts
    for provider in _PROVIDERS:
        for person_id, extra in provider(ids, on).items():
            if person_id in result:
                result[person_id].update(extra)
    return result


def person_facts(person: Person, on: dt.date) -> dict[str, Any]:
    return people_facts([person], on)[person.pk]


# --- The same facts for a whole population, as a frame --------------------------------------------------------------
# ``people_frames`` gives, batch by batch, exactly what ``people_facts`` followed by the batch evaluator's
# ``facts_frame`` would give, without building a dictionary per person: the scan of a million registrants reads
# columns (``chuangye.core.frames.read_frame``) and encodes them with column operations. A test holds the two equal.

PERSON_COLUMNS = {
    "person_id": pl.Int64,
    "region_code": pl.String,
    "birth_date": pl.Date,
    "sex": pl.String,
    "graduation_date": pl.Date,
    "employment": pl.String,
}


def people_frames(
    *, on: dt.date, region_prefix: str = "", batch_size: int = 100_000, id_from: int = 0, id_to: int = 0
) -> Iterator[pl.DataFrame]:
    """Active registrants whose residence starts with ``region_prefix`` (and whose id is within [id_from, id_to]
    when given), in id order, ``batch_size`` at a time: ``person_id``, ``region_code`` and one column per fact in
    the batch evaluator's encoding."""
    from chuangye.core.frames import read_frame

    people = Person.objects.filter(anonymised_at__isnull=True, region_code__startswith=region_prefix).order_by("pk")
    if id_from:
        people = people.filter(pk__gte=id_from)
    if id_to:
        people = people.filter(pk__lte=id_to)
    last = 0
    while True:
        batch = read_frame(people.filter(pk__gt=last).values_list(*_PERSON_FIELDS)[:batch_size], PERSON_COLUMNS)
        if batch.is_empty():
            return
        first, last = int(batch["person_id"][0]), int(batch["person_id"][-1])
        yield _facts_columns(batch, first, last, on)


_PERSON_FIELDS = ("pk", "region_code", "birth_date", "sex", "graduation_date", "employment")


def _facts_columns(batch: pl.DataFrame, first: int, last: int, on: dt.date) -> pl.DataFrame:
    from chuangye.core.frames import read_frame
    from chuangye.policies.plcompile import SET_BITS

    in_range = {"person_id__gte": first, "person_id__lte": last}
    bits = SET_BITS["key_groups"]
    statuses = read_frame(
        KeyGroupStatus.objects.filter(in_force(on), **in_range).values_list("person_id", "category__fact"),
        {"person_id": pl.Int64, "fact": pl.String},
    )
    masks = (
        statuses.unique()
        .select("person_id", pl.col("fact").replace_strict(bits, return_dtype=pl.Int64).alias("bit"))
        .group_by("person_id")
        .agg(pl.col("bit").sum().alias("key_groups"))
    )
    started = read_frame(
        Founder.objects.filter(business__registered_on__lte=on, **in_range)
        .values("person_id")
        .annotate(first=Min("business__registered_on"))
        .values_list("person_id", "first"),
        {"person_id": pl.Int64, "business_started_on": pl.Date},
    )
    employment = pl.col("employment")
    known = employment != Employment.UNKNOWN
    frame = (
        batch.join(masks, on="person_id", how="left", maintain_order="left")
        .join(started, on="person_id", how="left", maintain_order="left")
        .select(
            "person_id",
            "region_code",
            "birth_date",
            "sex",
            "graduation_date",
            pl.when(known).then(employment.is_in([str(e) for e in EMPLOYED])).alias("employed"),
            pl.when(known).then(employment == Employment.FLEXIBLE).alias("flexible_employment_registered"),
            pl.col("key_groups").fill_null(0),
            "business_started_on",
            pl.when(pl.col("business_started_on").is_not_null()).then(pl.lit(True)).alias("first_business"),
        )
    )
    return _with_providers(frame, on)


def _with_providers(frame: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """Apply each provider's facts over the columns, as ``people_facts`` does with ``dict.update`` (a provider's
    explicit null removes the fact)."""
    if not _PROVIDERS:
        return frame
    from chuangye.policies.batch import SCHEMA, batch_row
    from chuangye.policies.facts import parse_facts

    ids = frame["person_id"].to_list()
    position = {pid: i for i, pid in enumerate(ids)}
    overrides: dict[str, dict[int, Any]] = defaultdict(dict)
    # Providers may answer for every person (e.g. "0 months received"), so each distinct fact value is checked and
    # encoded once per batch, not once per person.
    encoded: dict[tuple[str, Any], Any] = {}
    for provider in _PROVIDERS:
        for person_id, extra in provider(ids, on).items():
            if person_id not in position:
                continue
            for name, value in extra.items():
                if value is None:
                    overrides[name][position[person_id]] = None
                    continue
                key = (name, tuple(value) if isinstance(value, list) else value)
                if key not in encoded:
                    encoded[key] = batch_row(parse_facts({name: value}))[name]
                overrides[name][position[person_id]] = encoded[key]
    columns = []
    for name, values in overrides.items():
        current = frame[name].to_list() if name in frame.columns else [None] * len(ids)
        for i, value in values.items():
            current[i] = value
        columns.append(pl.Series(name, current, dtype=SCHEMA[name]))
    return frame.with_columns(columns)
