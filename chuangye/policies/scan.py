"""政策找人: decide every personal policy for every active registrant in scope, store what changed, and tell the
people who newly qualify (inbox, and SMS when they have an account with a phone).

The scan works in batches of people ordered by id, resolving each county's parameters once, building facts with
the registry adapter (a fixed number of queries per batch) and deciding with the batch evaluator. It is idempotent:
results are compared with the stored ones and only changes are written; messages carry a dedupe key, so running it
twice, or on two workers over different regions, notifies each person once per policy and result.

免申即享: where a region has switched on a policy's ``<policy>.grant_without_application`` flag, every person found
eligible who has no such case yet gets one, opened for an officer to confirm (``actions.proactive_grant_open``);
this also covers people who were eligible before the region switched the flag on.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from chuangye.inbox.actions import notify
from chuangye.policies.batch import evaluate_policies, facts_frame
from chuangye.policies.catalogue import get_policy
from chuangye.policies.models import PolicyMatch
from chuangye.policies.params import Snapshot
from chuangye.policies.resolver import snapshot_for
from chuangye.registry.facts import people_facts
from chuangye.registry.models import Person

PERSONAL_POLICIES = (
    "loan.individual",
    "loan.counter_guarantee_waiver",
    "subsidy.startup_once",
    "subsidy.social_insurance",
)
BATCH = 5000
GRANT_FLAG = "{code}.grant_without_application"


@dataclass
class ScanResult:
    people: int = 0
    changed: int = 0
    newly_eligible: int = 0
    grants: int = 0


def _grant_enabled(code: str, snapshot: Snapshot) -> bool:
    name = GRANT_FLAG.format(code=code)
    return name in snapshot.series and snapshot.value(name) is True


def _open_grants(
    people: list[Person], results: dict[tuple[int, str], Any], on: dt.date, snapshots: dict[str, Snapshot]
) -> int:
    """Open a 免申即享 case for each eligible person whose region grants that policy without an application."""
    from chuangye.policies.actions import proactive_grant_open
    from chuangye.policies.models import ProactiveGrant

    wanted = [
        (person, code)
        for person in people
        for code in PERSONAL_POLICIES
        if results[(person.pk, code)][0] and _grant_enabled(code, snapshots[person.region_code])
    ]
    if not wanted:
        return 0
    existing = set(
        ProactiveGrant.objects.filter(person__in={p for p, _ in wanted}).values_list("person_id", "policy_code")
    )
    opened = 0
    for person, code in wanted:
        if (person.pk, code) not in existing and proactive_grant_open(person=person, policy_code=code, on=on):
            opened += 1
    return opened


def _decide_batch(people: list[Person], on: dt.date, snapshots: dict[str, Snapshot]) -> dict[tuple[int, str], Any]:
    """{(person id, policy): (eligible, amount)} for a batch, one evaluator pass per county."""
    facts = people_facts(people, on)
    by_region: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        by_region[person.region_code].append(person)
    policies = [get_policy(code) for code in PERSONAL_POLICIES]
    results: dict[tuple[int, str], Any] = {}
    for region, group in by_region.items():
        if region not in snapshots:
            snapshots[region] = snapshot_for(on=on, region_code=region)
        frame = evaluate_policies(policies, facts_frame(facts[p.pk] for p in group), snapshots[region])
        for person, row in zip(group, frame.iter_rows(named=True), strict=True):
            for code in PERSONAL_POLICIES:
                fen = row[f"{code}.amount_fen"]
                amount = None if fen is None or not row[f"{code}.eligible"] else Decimal(fen) / 100
                results[(person.pk, code)] = (bool(row[f"{code}.eligible"]), amount)
    return results


def _store(
    people: list[Person], results: dict[tuple[int, str], Any], on: dt.date, notify_people: bool
) -> tuple[int, int]:
    existing = {(m.person_id, m.policy_code): m for m in PolicyMatch.objects.filter(person__in=people)}
    now = timezone.now()
    creates, updates, newly = [], [], []
    regions = {p.pk: p.region_code for p in people}
    for (person_id, code), (eligible, amount) in results.items():
        match = existing.get((person_id, code))
        if match is None:
            creates.append(
                PolicyMatch(
                    person_id=person_id,
                    policy_code=code,
                    region_code=regions[person_id],
                    eligible=eligible,
                    amount=amount,
                    decided_on=on,
                    changed_at=now,
                )
            )
            if eligible:
                newly.append((person_id, code, amount))
        elif (match.eligible, match.amount, match.region_code) != (eligible, amount, regions[person_id]):
            if eligible and not match.eligible:
                newly.append((person_id, code, amount))
            match.eligible, match.amount, match.region_code = eligible, amount, regions[person_id]
            match.decided_on, match.changed_at = on, now
            updates.append(match)
    with transaction.atomic():
        PolicyMatch.objects.bulk_create(creates, batch_size=2000)
        PolicyMatch.objects.bulk_update(
            updates, ["eligible", "amount", "region_code", "decided_on", "changed_at"], batch_size=2000
        )
        if notify_people:
            _notify(newly, on)
    return len(creates) + len(updates), len(newly)


def _notify(newly: list[tuple[int, str, Decimal | None]], on: dt.date) -> None:
    users = dict(Person.objects.filter(pk__in={p for p, _, _ in newly}, user__isnull=False).values_list("pk", "user"))
    from chuangye.accounts.models import User

    accounts = User.objects.in_bulk(list(users.values()))
    for person_id, code, amount in newly:
        user = accounts.get(users.get(person_id))
        if user is None or not user.is_active:
            continue
        title = f"您可能符合「{get_policy(code).title}」的条件"
        body = (f"额度 {amount:.2f} 元。" if amount is not None else "") + "请在“我能享受的政策”中查看详情并办理。"
        notify(user, title, body, link="/me/policies/", sms=True, dedupe_key=f"scan:{code}:{person_id}:{on:%Y%m}")


def scan(*, region_prefix: str = "", on: dt.date | None = None, notify_people: bool = True) -> ScanResult:
    """Scan every active registrant whose usual residence starts with ``region_prefix`` (all when blank)."""
    day = on or timezone.localdate()
    result = ScanResult()
    snapshots: dict[str, Snapshot] = {}
    people = Person.objects.filter(anonymised_at__isnull=True, region_code__startswith=region_prefix).order_by("pk")
    last = 0
    while True:
        batch = list(people.filter(pk__gt=last)[:BATCH])
        if not batch:
            return result
        results = _decide_batch(batch, day, snapshots)
        changed, newly = _store(batch, results, day, notify_people)
        result.grants += _open_grants(batch, results, day, snapshots)
        result.people += len(batch)
        result.changed += changed
        result.newly_eligible += newly
        last = batch[-1].pk
