"""Benchmark: the proactive scan (政策找人) over N registrants stored in PostgreSQL (default 1,000,000).

Usage (a throwaway cluster; the script migrates the empty database itself):

    bash scripts/test-postgres.sh .venv/bin/python bench/scan_pg.py --people 1000000 --write bench/README.md

Setup (not timed): the synthetic population of ``generate_population`` (valid ID numbers, 35 % with a key-group
status, 5 % with a business) in two demo counties, loaded by COPY, then ``ANALYZE``.
Timed:
1. the first full scan: read every registrant's facts, decide every personal policy, store every result (nothing
   is stored yet, so every result is a change), without messages;
2. the same scan again with nothing changed: read, decide, compare, write nothing;
3. the scan after 1 % of the people changed (a key-group status certified for people who had none).
Checked: the stored results equal one-by-one ``decide`` with trace for a random sample of people.
"""

import argparse
import datetime as dt
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django
import django.utils.timezone

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.sections import write_section as write_section_between  # noqa: E402
from chuangye.accounts.models import Role, User  # noqa: E402
from chuangye.demo.accounts import seed_accounts  # noqa: E402
from chuangye.demo.population import Population, populate  # noqa: E402
from chuangye.policies.decide import decide  # noqa: E402
from chuangye.policies.models import PolicyMatch  # noqa: E402
from chuangye.policies.scan import PERSONAL_POLICIES, scan  # noqa: E402
from chuangye.registry.facts import person_facts  # noqa: E402
from chuangye.registry.models import KeyGroupCategory, KeyGroupStatus, Person  # noqa: E402

ON = dt.date(2026, 11, 26)
MARKER, END_MARKER = "<!-- policy-scan -->", "<!-- /policy-scan -->"


def setup(count: int) -> float:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seed_accounts()
    regions = list(settings.DEMO_REGIONS)
    deciders = {
        code: User.objects.filter(role=Role.OFFICER, region_code=code).order_by("pk").first() for code in regions
    }
    populate(Population(count=count, seed=2026, residence_regions=regions, deciders=deciders, batch_size=20000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def timed(label: str) -> tuple[float, object]:
    started = time.perf_counter()
    result = scan(on=ON, notify_people=False)
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.1f} s {result}", flush=True)
    return elapsed, result


def change_one_percent() -> int:
    """Certify a key group for 1 % of the people who have none (a changed fact for each)."""
    category = KeyGroupCategory.objects.get(code="returning_migrant")
    officer = User.objects.filter(role=Role.OFFICER).order_by("pk").first()
    total = Person.objects.count()
    without = Person.objects.filter(key_groups__isnull=True).order_by("pk").values_list("pk", "region_code")
    chosen = list(without[: total // 100])
    KeyGroupStatus.objects.bulk_create(
        [
            KeyGroupStatus(
                person_id=pk,
                category=category,
                state=KeyGroupStatus.State.CERTIFIED,
                valid_from=dt.date(2026, 1, 1),
                region_code=region,
                declared_by=officer,
                decided_by=officer,
            )
            for pk, region in chosen
        ],
        batch_size=10000,
    )
    return len(chosen)


def verify(sample: int) -> int:
    rng = random.Random(7)
    ids = list(Person.objects.values_list("pk", flat=True))
    for pk in rng.sample(ids, min(sample, len(ids))):
        person = Person.objects.get(pk=pk)
        facts = person_facts(person, ON)
        stored = {m.policy_code: m for m in PolicyMatch.objects.filter(person=person)}
        for code in PERSONAL_POLICIES:
            outcome = decide(code, facts, on=ON, region_code=person.region_code)
            expected = (outcome.eligible, outcome.amount if outcome.eligible else None)
            match = stored.get(code)
            got = (match.eligible, match.amount) if match else (False, None)
            if got != expected:
                raise SystemExit(f"disagreement for person {pk}, {code}: stored {got}, decide {expected}")
    return min(sample, len(ids))


def write(path: Path, text: str) -> None:
    write_section_between(path, MARKER, END_MARKER, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--write", help="replace the scan section of this Markdown file with the results")
    args = parser.parse_args()
    setup_s = setup(args.people)
    people = Person.objects.count()
    print(f"setup: {setup_s:.0f} s, {people} people", flush=True)
    first, first_result = timed("first scan")
    unchanged, unchanged_result = timed("unchanged")
    changed_people = change_one_percent()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    changed, changed_result = timed("1% changed")
    checked = verify(args.sample)
    version = connection.cursor().connection.info.server_version
    pg = f"{version // 10000}.{version % 10000}"
    today = django.utils.timezone.localdate().isoformat()
    text = f"""## Policy engine: proactive scan of registrants stored in PostgreSQL

Measured {today} on {platform.machine()}, {os.cpu_count()} CPUs, PostgreSQL {pg}, Python \
{platform.python_version()}, Django {django.get_version()}. One run each (the scan writes, so runs are not \
repeatable without a new setup); command: `bash scripts/test-postgres.sh .venv/bin/python bench/scan_pg.py \
--people {args.people}`.

| measurement | time | target |
|---|---|---|
| first full scan of {people:,} registrants, {len(PERSONAL_POLICIES)} personal policies, every eligible result stored \
({first_result.changed:,} rows) | {first:.1f} s | < 60 s |
| the same scan again, nothing changed (read, decide, compare, write nothing) | {unchanged:.1f} s | < 20 s |
| the scan after {changed_people:,} people (1 %) gained a key-group status | {changed:.1f} s | — |

Checked: for {checked} randomly chosen people the stored results equal one-by-one `decide` with trace. \
Results: first scan {first_result}; unchanged {unchanged_result}; 1 % changed {changed_result}. Setup (not timed) \
{setup_s:.0f} s."""
    print(text)
    if args.write:
        write(Path(args.write), text)


if __name__ == "__main__":
    main()
