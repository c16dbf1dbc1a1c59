"""政策找人: decide every personal policy for every active registrant in scope, store what changed, and tell the
people who newly qualify (inbox, and SMS when they have an account with a phone).

The scan works in batches of people ordered by id. Facts come from the registry adapter as columns
(``registry.facts.people_frames``: a fixed number of queries per batch, no object per person), each county's rows
are decided with the batch evaluator against that county's parameters, and the results are compared with the stored
ones as frames; only changes are written (on PostgreSQL through COPY). A stored row exists once a person has been
found eligible for a policy; it then follows every change (including losing eligibility), and no row means "not
eligible". It is idempotent: running it twice writes
nothing the second time, and messages carry a dedupe key, so running it twice, or on two workers over different
regions, notifies each person once per policy and result.

免申即享: where a region has switched on a policy's ``<policy>.grant_without_application`` flag, every person found
eligible who has no such case yet gets one, opened for an officer to confirm (``actions.proactive_grant_open``);
this also covers people who were eligible before the region switched the flag on.
"""

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from chuangye.core.frames import read_frame
from chuangye.inbox.actions import notify
from chuangye.policies.batch import evaluate_policies
from chuangye.policies.catalogue import get_policy
from chuangye.policies.models import PolicyMatch
from chuangye.policies.params import Snapshot
from chuangye.policies.resolver import snapshot_for
from chuangye.registry.facts import people_frames
from chuangye.registry.models import Person

PERSONAL_POLICIES = (
    "loan.individual",
    "loan.counter_guarantee_waiver",
    "subsidy.startup_once",
    "subsidy.social_insurance",
)
BATCH = 100_000
GRANT_FLAG = "{code}.grant_without_application"
RESULT_SCHEMA = {
    "person_id": pl.Int64,
    "policy_code": pl.String,
    "region_code": pl.String,
    "eligible": pl.Boolean,
    "amount_fen": pl.Int64,
}
RESULT_COLUMNS = list(RESULT_SCHEMA)


@dataclass
class ScanResult:
    people: int = 0
    changed: int = 0
    newly_eligible: int = 0
    grants: int = 0


def _grant_enabled(code: str, snapshot: Snapshot) -> bool:
    name = GRANT_FLAG.format(code=code)
    return name in snapshot.series and snapshot.value(name) is True


def _decide(facts: pl.DataFrame, on: dt.date, snapshots: dict[str, Snapshot]) -> pl.DataFrame:
    """One row per person and policy: eligible, amount in 分 (null unless eligible), one evaluator pass per county."""
    policies = [get_policy(code) for code in PERSONAL_POLICIES]
    parts = []
    for (region,), group in facts.partition_by("region_code", as_dict=True, maintain_order=True).items():
        region = str(region)
        if region not in snapshots:
            snapshots[region] = snapshot_for(on=on, region_code=region)
        decided = evaluate_policies(policies, group.drop("person_id", "region_code"), snapshots[region])
        for code in PERSONAL_POLICIES:
            eligible = decided[f"{code}.eligible"]
            amount = decided[f"{code}.amount_fen"]
            parts.append(
                group.select(
                    "person_id",
                    pl.lit(code, dtype=pl.String).alias("policy_code"),
                    "region_code",
                    pl.lit(eligible).alias("eligible"),
                    pl.when(pl.lit(eligible)).then(pl.lit(amount)).otherwise(None).cast(pl.Int64).alias("amount_fen"),
                )
            )
    return pl.concat(parts) if parts else pl.DataFrame(schema=RESULT_SCHEMA)


def _stored(first: int, last: int) -> pl.DataFrame:
    """What the last scan stored for the people with ids in [first, last]."""
    stored = read_frame(
        PolicyMatch.objects.filter(person_id__gte=first, person_id__lte=last).values_list(
            "pk", "person_id", "policy_code", "region_code", "eligible", "amount"
        ),
        {
            "match_id": pl.Int64,
            "person_id": pl.Int64,
            "policy_code": pl.String,
            "region_code": pl.String,
            "eligible": pl.Boolean,
            "amount": pl.Decimal(20, 2),
        },
    )
    return stored.select(
        "match_id",
        "person_id",
        "policy_code",
        "region_code",
        "eligible",
        (pl.col("amount") * 100).cast(pl.Int64).alias("amount_fen"),
    )


def _changes(results: pl.DataFrame, stored: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(rows to insert, rows to update with their ``match_id``, rows that newly qualify)."""
    joined = results.join(stored, on=["person_id", "policy_code"], how="left", suffix="_old", maintain_order="left")
    is_new = pl.col("match_id").is_null()
    differs = (
        (pl.col("eligible") != pl.col("eligible_old"))
        | pl.col("amount_fen").ne_missing(pl.col("amount_fen_old"))
        | (pl.col("region_code") != pl.col("region_code_old"))
    )
    # Only results that were ever "eligible" are stored: no row means not eligible (and never was), so a first scan
    # writes the people who qualify, not a row for every person and policy.
    inserts = joined.filter(is_new & pl.col("eligible")).select(RESULT_COLUMNS)
    updates = joined.filter(~is_new & differs).select("match_id", *RESULT_COLUMNS)
    newly = joined.filter(pl.col("eligible") & (is_new | ~pl.col("eligible_old"))).select(RESULT_COLUMNS)
    return inserts, updates, newly


def _as_amount(fen: pl.Expr) -> pl.Expr:
    """分 as the decimal text the database takes ("12.30"); null stays null."""
    return pl.format("{}.{}", fen // 100, (fen % 100).cast(pl.String).str.zfill(2))


def _write(inserts: pl.DataFrame, updates: pl.DataFrame, on: dt.date) -> None:
    now = timezone.now()
    if connection.vendor == "postgresql":
        _write_postgresql(inserts, updates, on, now)
        return
    PolicyMatch.objects.bulk_create(
        [
            PolicyMatch(
                person_id=row["person_id"],
                policy_code=row["policy_code"],
                region_code=row["region_code"],
                eligible=row["eligible"],
                amount=None if row["amount_fen"] is None else Decimal(row["amount_fen"]) / 100,
                decided_on=on,
                changed_at=now,
            )
            for row in inserts.iter_rows(named=True)
        ],
        batch_size=2000,
    )
    PolicyMatch.objects.bulk_update(
        [
            PolicyMatch(
                pk=row["match_id"],
                region_code=row["region_code"],
                eligible=row["eligible"],
                amount=None if row["amount_fen"] is None else Decimal(row["amount_fen"]) / 100,
                decided_on=on,
                changed_at=now,
            )
            for row in updates.iter_rows(named=True)
        ],
        ["eligible", "amount", "region_code", "decided_on", "changed_at"],
        batch_size=2000,
    )


def _csv(frame: pl.DataFrame, on: dt.date, now: dt.datetime, *, with_id: bool) -> bytes:
    columns = [
        *(["match_id"] if with_id else []),
        "person_id",
        "policy_code",
        "region_code",
        pl.col("eligible").cast(pl.String).str.slice(0, 1),
        _as_amount(pl.col("amount_fen")).alias("amount"),
        pl.lit(on.isoformat()).alias("decided_on"),
        pl.lit(now.isoformat()).alias("changed_at"),
    ]
    buffer = io.BytesIO()
    frame.select(columns).write_csv(buffer, include_header=False, null_value="")
    return buffer.getvalue()


def _write_postgresql(inserts: pl.DataFrame, updates: pl.DataFrame, on: dt.date, now: dt.datetime) -> None:
    """COPY the new rows in; COPY the changed ones into a temporary table and update from it."""
    table = PolicyMatch._meta.db_table
    fields = "person_id, policy_code, region_code, eligible, amount, decided_on, changed_at"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if inserts.height:
            with raw.copy(f"COPY {table} ({fields}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(_csv(inserts, on, now, with_id=False))
        if updates.height:
            cursor.execute(
                "CREATE TEMPORARY TABLE scan_changes (id bigint, person_id bigint, policy_code varchar(40), "
                "region_code varchar(6), eligible boolean, amount numeric, decided_on date, changed_at timestamptz) "
                "ON COMMIT DROP"
            )
            with raw.copy(f"COPY scan_changes (id, {fields}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(_csv(updates, on, now, with_id=True))
            cursor.execute(
                f"UPDATE {table} AS m SET eligible = c.eligible, amount = c.amount, region_code = c.region_code, "  # noqa: S608 - the model's own table name
                "decided_on = c.decided_on, changed_at = c.changed_at FROM scan_changes AS c WHERE m.id = c.id"
            )
            cursor.execute("DROP TABLE scan_changes")  # now, not at commit: the caller may hold a longer transaction


def _notify(newly: pl.DataFrame, on: dt.date) -> None:
    people = newly["person_id"].unique().to_list()
    users = dict(Person.objects.filter(pk__in=people, user__isnull=False).values_list("pk", "user"))
    from chuangye.accounts.models import User

    accounts = User.objects.in_bulk(list(users.values()))
    for person_id, code, fen in newly.select("person_id", "policy_code", "amount_fen").iter_rows():
        user = accounts.get(users.get(person_id))
        if user is None or not user.is_active:
            continue
        title = f"您可能符合「{get_policy(code).title}」的条件"
        body = (
            f"额度 {Decimal(fen) / 100:.2f} 元。" if fen is not None else ""
        ) + "请在“我能享受的政策”中查看详情并办理。"
        notify(user, title, body, link="/me/policies/", sms=True, dedupe_key=f"scan:{code}:{person_id}:{on:%Y%m}")


def _open_grants(results: pl.DataFrame, on: dt.date, snapshots: dict[str, Snapshot]) -> int:
    """Open a 免申即享 case for each eligible person whose region grants that policy without an application."""
    from chuangye.policies.actions import proactive_grant_open
    from chuangye.policies.models import ProactiveGrant

    enabled = [
        (region, code) for region, snap in snapshots.items() for code in PERSONAL_POLICIES if _grant_enabled(code, snap)
    ]
    if not enabled:
        return 0
    flagged = pl.DataFrame({"region_code": [r for r, _ in enabled], "policy_code": [c for _, c in enabled]})
    wanted = results.filter(pl.col("eligible")).join(flagged, on=["region_code", "policy_code"], how="semi")
    if wanted.is_empty():
        return 0
    ids = wanted["person_id"].unique().to_list()
    existing = set(ProactiveGrant.objects.filter(person_id__in=ids).values_list("person_id", "policy_code"))
    people = Person.objects.in_bulk(ids)
    opened = 0
    for person_id, code in wanted.select("person_id", "policy_code").iter_rows():
        if (person_id, code) not in existing and proactive_grant_open(
            person=people[person_id], policy_code=code, on=on
        ):
            opened += 1
    return opened


def scan(
    *,
    region_prefix: str = "",
    on: dt.date | None = None,
    notify_people: bool = True,
    id_from: int = 0,
    id_to: int = 0,
) -> ScanResult:
    """Scan every active registrant whose usual residence starts with ``region_prefix`` (all when blank), or only
    those with ids in [id_from, id_to] (one part of a job split across workers, ``policies.jobs``)."""
    day = on or timezone.localdate()
    result = ScanResult()
    snapshots: dict[str, Snapshot] = {}
    frames = people_frames(on=day, region_prefix=region_prefix, batch_size=BATCH, id_from=id_from, id_to=id_to)
    for facts in frames:
        results = _decide(facts, day, snapshots)
        first, last = int(facts["person_id"].min()), int(facts["person_id"].max())  # type: ignore[arg-type]
        inserts, updates, newly = _changes(results, _stored(first, last))
        with transaction.atomic():
            _write(inserts, updates, day)
            if notify_people and newly.height:
                _notify(newly, day)
        result.grants += _open_grants(results, day, snapshots)
        result.people += facts.height
        result.changed += inserts.height + updates.height
        result.newly_eligible += newly.height
    return result
