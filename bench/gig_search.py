"""Benchmark: gig search by place, radius, skill and date with N active postings and M workers (100,000 / 200,000).

Usage (PostgreSQL, a throwaway cluster; the script migrates the empty database itself):

    bash scripts/test-postgres.sh .venv/bin/python bench/gig_search.py --gigs 100000 --workers 200000 \
        --write bench/README.md

Without the wrapper it runs against whatever ``CHUANGYE_DATABASE_URL`` names (SQLite by default). Not a timed test.

Setup (not timed): N published, unexpired postings spread over a 40 × 40 km square around central 成都 (a dense
city, the hard case for a radius search), 22 job types, work dates over the next 30 days, 1–5 places each; M
workers (account, registry person, profile with skills, weekdays, location and travel radius) in the same square.
Timed: ``--searches`` searches through ``chuangye.flexible.selectors.search_gigs`` (the function behind the market
page and the API), each with a random centre, a radius of 2, 5 or 10 km, one job type and one date; then the same
searches without the job type, and a sample through the public API (HTTP handling and JSON included). Each is
checked against a brute-force scan of all postings in Python (same results, same order), outside the timing.
"""

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.sections import write_section as write_section_between  # noqa: E402
from chuangye.accounts.models import Organisation, Role, User  # noqa: E402
from chuangye.core.ids import generate_resident_id  # noqa: E402
from chuangye.flexible import geo  # noqa: E402
from chuangye.flexible.models import Gig, WorkerProfile  # noqa: E402
from chuangye.flexible.selectors import search_gigs  # noqa: E402
from chuangye.flexible.taxonomy import JOB_TYPES, industry_of  # noqa: E402
from chuangye.registry.models import Person  # noqa: E402

CENTRE = (30.657, 104.066)
HALF_SIDE_KM = 20.0
DAYS = 30
MARKER, END_MARKER = "<!-- gig-search -->", "<!-- /gig-search -->"
REGIONS = ("510104", "510105", "510106", "510107", "510108")


def _square(rng: random.Random) -> tuple[float, float]:
    dlat = HALF_SIDE_KM / geo.KM_PER_DEGREE_LAT
    box = geo.bounding_box(CENTRE[0], CENTRE[1], HALF_SIDE_KM)
    return CENTRE[0] + rng.uniform(-dlat, dlat), rng.uniform(box.min_lng, box.max_lng)


def posters() -> list[User]:
    users = []
    for i in range(20):
        org, _ = Organisation.objects.get_or_create(
            credit_code=f"91510100BENCHGIG{i:02d}"[:18],
            defaults={"name": f"基准测试用工单位{i + 1}", "kind": "employer", "region_code": REGIONS[i % 5]},
        )
        user, _ = User.objects.get_or_create(
            username=f"bench_employer_{i}",
            defaults={"role": Role.PARTNER, "region_code": org.region_code, "organisation": org, "real_name": org.name},
        )
        users.append(user)
    return users


def populate_gigs(n: int, seed: int = 11) -> None:
    if Gig.objects.count() >= n:
        return
    rng = random.Random(seed)
    users = posters()
    today = timezone.localdate()
    valid = timezone.now() + dt.timedelta(days=DAYS + 1)
    codes = list(JOB_TYPES)
    for start in range(0, n, 5000):
        rows = []
        for i in range(start, min(start + 5000, n)):
            lat, lng = _square(rng)
            job = rng.choice(codes)
            hour = rng.randrange(6, 18)
            headcount = rng.randrange(1, 6)
            poster = users[i % len(users)]
            rows.append(
                Gig(
                    poster=poster,
                    poster_kind=Gig.Poster.EMPLOYER,
                    organisation_id=poster.organisation_id,
                    poster_name=poster.real_name,
                    region_code=poster.region_code,
                    job_type=job,
                    industry=industry_of(job),
                    title=f"{JOB_TYPES[job][0]}{i}",
                    content="基准测试岗位",
                    address="成都市",
                    latitude=lat,
                    longitude=lng,
                    work_date=today + dt.timedelta(days=rng.randrange(DAYS)),
                    start_time=dt.time(hour),
                    end_time=dt.time(hour + rng.randrange(1, 6)),
                    pay=Decimal(rng.choice(("150.00", "200.00", "25.00", "30.00"))),
                    pay_unit=rng.choice(("day", "hour", "job")),
                    settlement=rng.choice(("daily", "on_completion")),
                    headcount=headcount,
                    taken=rng.randrange(0, headcount + 1) if rng.random() < 0.2 else 0,
                    valid_until=valid,
                    status=Gig.Status.PUBLISHED,
                )
            )
        Gig.objects.bulk_create(rows)


def populate_workers(m: int, seed: int = 13) -> None:
    existing = WorkerProfile.objects.count()
    if existing >= m:
        return
    rng = random.Random(seed)
    codes = list(JOB_TYPES)
    for start in range(existing, m, 5000):
        stop = min(start + 5000, m)
        users = [
            User(username=f"bench_worker_{i}", role=Role.CITIZEN, password="!", real_name=f"求职者{i}")  # noqa: S106 - "!" is Django's unusable password
            for i in range(start, stop)
        ]
        User.objects.bulk_create(users)
        users = list(User.objects.filter(username__in=[u.username for u in users]).order_by("id"))
        people = []
        for i, user in zip(range(start, stop), users, strict=True):
            region = REGIONS[i % 5]
            born = dt.date(1970, 1, 1) + dt.timedelta(days=(i // 1000) % 9000)
            sex = "M" if i % 2 else "F"
            person = Person(
                name=f"求职者{i}", sex=sex, birth_date=born, hukou_region_code=region, region_code=region, user=user
            )
            person.set_id_number(generate_resident_id(region, born, sex, (i // 2) % 500))
            people.append(person)
        Person.objects.bulk_create(people)
        profiles = []
        for person in people:
            lat, lng = _square(rng)
            profiles.append(
                WorkerProfile(
                    user_id=person.user_id,
                    person=person,
                    region_code=person.region_code,
                    skills=sorted(rng.sample(codes, rng.randrange(1, 4))),
                    available_weekdays=sorted(rng.sample(range(1, 8), rng.randrange(2, 8))),
                    address="成都市",
                    latitude=lat,
                    longitude=lng,
                    radius_km=rng.choice((3, 5, 10, 20)),
                    hard_to_place=["long_wait"] if rng.random() < 0.1 else [],
                )
            )
        WorkerProfile.objects.bulk_create(profiles)


def queries(count: int, seed: int = 17) -> list[dict[str, object]]:
    rng = random.Random(seed)
    today = timezone.localdate()
    result = []
    for _ in range(count):
        lat, lng = _square(rng)
        result.append(
            {
                "latitude": lat,
                "longitude": lng,
                "radius_km": float(rng.choice((2, 5, 10))),
                "job_types": [rng.choice(list(JOB_TYPES))],
                "day": today + dt.timedelta(days=rng.randrange(DAYS)),
            }
        )
    return result


def brute_force(all_rows: list[tuple], q: dict[str, object], with_skill: bool) -> list[int]:
    """Every open posting checked in Python: the answer the indexed search must give."""
    found = []
    for pk, lat, lng, job, day, start, headcount, taken in all_rows:
        if taken >= headcount or day != q["day"] or (with_skill and job not in q["job_types"]):
            continue
        distance = geo.distance_km(q["latitude"], q["longitude"], lat, lng)
        if distance <= q["radius_km"]:
            found.append((distance, day, start, pk))
    return [pk for *_, pk in sorted(found)][:50]


def timed(qs: list[dict[str, object]], with_skill: bool) -> tuple[list[float], list[list[int]], int]:
    times, answers, rows = [], [], 0
    for q in qs:
        args = dict(q) if with_skill else {k: v for k, v in q.items() if k != "job_types"}
        started = time.perf_counter()
        hits = search_gigs(**args)  # type: ignore[arg-type]
        times.append((time.perf_counter() - started) * 1000)
        answers.append([h.gig.pk for h in hits])
        rows += len(hits)
    return times, answers, rows


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def plan(q: dict[str, object]) -> str:
    if connection.vendor != "postgresql":
        return ""
    box = geo.bounding_box(q["latitude"], q["longitude"], q["radius_km"])  # type: ignore[arg-type]
    sql = (
        "EXPLAIN SELECT id FROM flexible_gig WHERE status = 'published' AND valid_until > now() "
        "AND job_type = %s AND work_date = %s AND latitude BETWEEN %s AND %s AND longitude BETWEEN %s AND %s "
        "AND taken < headcount"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [q["job_types"][0], q["day"], box.min_lat, box.max_lat, box.min_lng, box.max_lng])  # type: ignore[index]
        return " / ".join(line.strip() for (line,) in cursor.fetchall()[:3])


def write(path: Path, text: str) -> None:
    write_section_between(path, MARKER, END_MARKER, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=200_000)
    parser.add_argument("--searches", type=int, default=500)
    parser.add_argument("--write", help="replace the gig-search section of this Markdown file with the results")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    populate_gigs(args.gigs)
    populate_workers(args.workers)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    setup = time.perf_counter() - started
    qs = queries(args.searches)
    timed(qs[:20], True)  # warm the connection and caches
    skill_times, skill_answers, skill_rows = timed(qs, True)
    place_times, place_answers, place_rows = timed(qs, False)
    api = Client()
    cache.clear()
    api.get("/api/v1/flexible/gigs/search", {"latitude": "30.6", "longitude": "104.0"})  # load the URL and API setup
    api_times = []
    api_sample = qs[:100]
    for q in api_sample:
        params = {
            "latitude": f"{q['latitude']:.6f}",
            "longitude": f"{q['longitude']:.6f}",
            "radius": str(q["radius_km"]),
            "job_type": q["job_types"][0],  # type: ignore[index]
            "date": q["day"].isoformat(),  # type: ignore[attr-defined]
        }
        cache.clear()  # the anonymous API rate limit (60 a minute) would refuse a benchmark's pace
        begun = time.perf_counter()
        response = api.get("/api/v1/flexible/gigs/search", params)
        api_times.append((time.perf_counter() - begun) * 1000)
        assert response.status_code == 200, response.content
    # Exact: the same postings in the same order as a scan of every row.
    rows = list(
        Gig.objects.filter(status="published", valid_until__gt=timezone.now()).values_list(
            "pk", "latitude", "longitude", "job_type", "work_date", "start_time", "headcount", "taken"
        )
    )
    mismatches = sum(brute_force(rows, q, True) != a for q, a in zip(qs, skill_answers, strict=True))
    mismatches += sum(brute_force(rows, q, False) != a for q, a in zip(qs, place_answers, strict=True))
    version = getattr(connection, "pg_version", 0)
    database = f"PostgreSQL {version // 10000}.{version % 100}" if connection.vendor == "postgresql" else "SQLite"
    command = (
        f"bash scripts/test-postgres.sh .venv/bin/python bench/gig_search.py --gigs {args.gigs} "
        f"--workers {args.workers} --searches {args.searches}"
    )
    today = dt.datetime.now(dt.UTC).date().isoformat()

    def row(label: str, times: list[float], target: str = "") -> str:
        return (
            f"| {label} | {statistics.median(times):.1f} ms | {percentile(times, 95):.1f} ms | "
            f"{max(times):.1f} ms | {target} |"
        )

    text = "\n".join(
        [
            "## Flexible employment: gig search",
            "",
            f"Measured {today} on {platform.machine()}, {os.cpu_count()} CPUs, {database}, "
            f"Python {platform.python_version()}, Django {django.get_version()}; command: `{command}`.",
            "",
            f"{Gig.objects.count():,} active postings and {WorkerProfile.objects.count():,} workers in a 40 × 40 km "
            f"square around central 成都, 22 job types, work dates over the next {DAYS} days. "
            f"{args.searches} searches, random centre, radius 2 / 5 / 10 km.",
            "",
            "| search | median | p95 | max | target |",
            "|---|---|---|---|---|",
            row("place, radius, skill and date (`search_gigs`)", skill_times, "p95 < 50 ms"),
            row("place, radius and date, any skill (`search_gigs`)", place_times),
            row(f"place, radius, skill and date through the public API ({len(api_sample)} requests)", api_times),
            "",
            f"Exact: all {2 * args.searches} searches return the same postings in the same order as a scan of every "
            f"row in Python ({mismatches} differences); {skill_rows:,} and {place_rows:,} results in all. "
            f"Setup (not timed) {setup:.0f} s.",
            "",
            "Design (decision 0015): no PostGIS. The circle's bounding box is a range on latitude inside the "
            "B-tree index (job_type, work_date, latitude) — or (work_date, latitude) without a skill — longitude "
            "and the other conditions filter the few rows the index returns, and the exact haversine distance is "
            "computed in Python only for them. PostgreSQL's plan for one search: "
            f"`{plan(qs[0]) or 'n/a'}`.",
        ]
    )
    print(text)
    if args.write:
        write(Path(args.write), text)


if __name__ == "__main__":
    main()
