"""The sharding plan for a national deployment on Citus, as data (docs/deployment.md, "分片方案").

Every database table of every installed model is classified here as one of:

* **distributed** by a region column: hash-distributed by the 6-digit 行政区划 code, so every row of one county
  lives on one shard, and a query or transaction that names one county (``region_code = '510104'``) is routed to
  that shard alone. Tables of the ``region`` co-location group share shard boundaries, so a foreign key between
  two of them whose rows always carry the same code (a loan and its case) is a join inside one shard. The audit
  trail is its own group, distributed by its chain name (the province, decision 0004).
* **reference**: small, rarely written, read by every region (regions, calendars, organisations, parameters,
  catalogues). Citus keeps a full copy on every node, so any shard can join them locally.
* **local**: kept on the coordinator only (accounts, sessions, lockouts, the task queue, job leases, counters).
  They are national by nature (a user signs in from anywhere) or coordination state that must not be sharded.

Some region-scoped tables have no region column yet (a loan's schedule rows, a case's events). They are planned as
distributed, with the column to be added and copied from the parent row named by ``via``; until then they are the
named gaps of :data:`PLAN` (``pending=True``). Foreign keys that cannot stay database constraints under Citus are
listed in :data:`CROSS_REGION_FKS` (a child whose region may differ from its parent's) and by target in
:data:`UNCONSTRAINED_TARGETS` (distributed rows pointing at coordinator-local tables). Unique constraints of
distributed tables that do not include the region column are in :data:`UNIQUE_GAPS`.

``chuangye/core/tests/test_sharding_plan.py`` keeps this module true: a new model without a classification, a
distributed table without the column it names, a pending gap that was closed, an undocumented cross-region foreign
key or unique constraint all fail it. :func:`colocation_violations` checks the data of a running database: every
co-located foreign key must join rows of the same region. :func:`citus_sql` prints the statements that create the
plan on a Citus cluster once the gaps are closed. Nothing here has been run against Citus: it is a plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models

REGION_COLUMN = "region_code"
REGION_GROUP = "region"
AUDIT_GROUP = "audit"


class Kind(StrEnum):
    DISTRIBUTED = "distributed"
    REFERENCE = "reference"
    LOCAL = "local"


@dataclass(frozen=True)
class TablePlan:
    kind: Kind
    column: str = ""  # distribution column (distributed tables)
    group: str = ""  # co-location group (distributed tables)
    via: str = ""  # pending gap: the foreign key (attribute name) whose parent's region the new column copies
    note: str = ""

    @property
    def pending(self) -> bool:
        return bool(self.via)


def region(note: str = "") -> TablePlan:
    return TablePlan(Kind.DISTRIBUTED, REGION_COLUMN, REGION_GROUP, note=note)


def region_via(fk: str, note: str = "") -> TablePlan:
    """Distributed by region once a ``region_code`` column, copied from the parent through ``fk``, is added."""
    return TablePlan(Kind.DISTRIBUTED, REGION_COLUMN, REGION_GROUP, via=fk, note=note)


def reference(note: str = "") -> TablePlan:
    return TablePlan(Kind.REFERENCE, note=note)


def local(note: str = "") -> TablePlan:
    return TablePlan(Kind.LOCAL, note=note)


PLAN: dict[str, TablePlan] = {
    # Django, django-otp, django-axes, django-tasks: accounts, sessions, lockouts and the task queue.
    "django_admin_log": local(),
    "auth_permission": local(),
    "auth_group": local(),
    "auth_group_permissions": local(),
    "django_content_type": local(),
    "django_session": local("sessions are national: one sign-in, any region"),
    "otp_totp_totpdevice": local(),
    "axes_accessfailurelog": local(),
    "axes_accessattempt": local(),
    "axes_accessattemptexpiration": local(),
    "axes_accesslog": local(),
    "django_tasks_database_dbtaskresult": local("the task queue; polled with SKIP LOCKED by every worker"),
    # core
    "core_region": reference(),
    "core_calendaryear": reference(),
    "core_calendarday": reference(),
    "core_identifiersequence": local(
        "gap: counters named after their region (case:JY:2026:510104) but without a region column; every numbered "
        "issue adds the coordinator to the shard's transaction"
    ),
    "core_auditchain": TablePlan(Kind.DISTRIBUTED, "name", AUDIT_GROUP, note="one chain per region code"),
    "core_auditevent": TablePlan(Kind.DISTRIBUTED, "chain", AUDIT_GROUP, note="rows follow their chain's head"),
    "core_attachment": region("blank for national uploads"),
    # accounts
    "accounts_organisation": reference("banks, guarantors, schools, incubators serve several regions"),
    "accounts_user": local("a user signs in nationally; citizens have no region"),
    "accounts_user_groups": local(),
    "accounts_user_user_permissions": local(),
    "accounts_phonecode": local(),
    "accounts_apitoken": local(),
    # registry
    "registry_person": region("常住地; see UNIQUE_GAPS and the note on moves in docs/deployment.md"),
    "registry_keygroupcategory": reference(),
    "registry_keygroupstatus": region(),
    "registry_keygroupevent": region_via("status"),
    "registry_changerequest": region(),
    "registry_business": region(),
    "registry_founder": region_via("business"),
    "registry_importjob": region(),
    "registry_importfile": region_via("job"),
    # policies
    "policies_parameteroverride": reference("read with every ancestor region's overrides by decide()"),
    "policies_decision": region("blank for decisions without a region"),
    "policies_policymatch": region(),
    "policies_proactivegrant": region_via("person"),
    # inbox
    "inbox_message": local("gap: no region column; at national scale add one (the region of the object notified)"),
    # cases
    "cases_case": region("办理地"),
    "cases_caseevent": region_via("case"),
    "cases_notice": region_via("case"),
    "registration_application": region(),
    # loans
    "loans_guaranteefund": reference("one fund per city or county, guarantees loans of its whole area"),
    "loans_loanapplication": region(),
    "loans_loanparameteroverride": reference("read with every ancestor region's overrides"),
    "loans_loan": region(),
    "loans_schedulerow": region_via("loan"),
    "loans_repayment": region_via("loan"),
    "loans_loanextension": region_via("loan"),
    "loans_idempotencyrecord": local("a bank's idempotency keys are national"),
    "loans_compensationclaim": region_via("loan"),
    "loans_recovery": region_via("loan"),
    "loans_writeoff": region_via("loan"),
    "loans_subsidybatch": region(),
    "loans_subsidyclaim": region(),
    "loans_subsidyline": region_via("claim"),
    "loans_ledgeraccount": region("blank for national accounts"),
    "loans_ledgertransaction": region_via("loan", "the loan's region, or the fund's for fund-level transactions"),
    "loans_ledgerentry": region_via("transaction"),
    # finance
    "finance_lprrate": reference(),
    "finance_financialproduct": reference(),
    # training
    "training_institution": reference(),
    "training_trainer": reference(),
    "training_trainingclass_trainers": region_via("trainingclass"),
    "training_trainingclass": region(),
    "training_session": region_via("training_class"),
    "training_enrolment": region_via("training_class"),
    "training_attendance": region_via("session"),
    "training_certificate": region(),
    "training_claim": region(),
    "training_claimline": region_via("claim"),
    "training_competition_judges": reference(),
    "training_competition": reference(),
    "training_track": reference(),
    "training_entrant": reference(),
    "training_score": reference(),
    # cultivation
    "cultivation_assessment": region(),
    "cultivation_mentornote": region_via("assessment"),
    "cultivation_simulation": region(),
    "cultivation_loanattachment": region_via("application"),
    "cultivation_programme": reference(),
    "cultivation_enrolment": region_via("person"),
    "cultivation_competition": reference(),
    "cultivation_stage": reference(),
    "cultivation_criterion": reference(),
    "cultivation_judge": reference(),
    "cultivation_submission": region_via("person"),
    "cultivation_score": region_via("submission"),
    "cultivation_award": region_via("submission"),
    "cultivation_honour": region_via("person"),
    # services
    "services_article": reference("policy articles of a province are read in every county"),
    "services_eventsignup": region_via("article"),
    "services_question": region(),
    "services_questionmessage": region_via("question"),
    "services_faqentry": region(),
    "services_mentor": reference(),
    "services_assignment": region(),
    "services_servicelog": region_via("assignment"),
    "services_opening": region(),
    "services_seekerprofile": region(),
    "services_jobapplication": region_via("opening"),
    "services_fair": reference(),
    "services_fairsignup": region_via("fair"),
    # incubators
    "incubators_carrier": reference(),
    "incubators_space": reference(),
    "incubators_equipment": reference(),
    "incubators_spaceapplication": region_via("case"),
    "incubators_contract": region_via("application"),
    "incubators_booking": region_via("equipment", "the equipment's carrier's region"),
    "incubators_boardpost": region(),
    "incubators_carrierevent": reference(),
    "incubators_satisfactionsurvey": region_via("contract"),
    "incubators_evaluation": reference(),
    # flexible employment
    "flexible_marketsetting": reference(),
    "flexible_servicezone": reference(),
    "flexible_gig": region(),
    "flexible_workerprofile": region(),
    "flexible_engagement": region_via("gig"),
    "flexible_rating": region_via("engagement"),
    "flexible_report": region(),
    "flexible_block": region(),
    "flexible_rightsrequest": region_via("case"),
    "flexible_employmentregistration": region(),
    "flexible_certificate": region(),
    "flexible_subsidyenrolment": region(),
    "flexible_paymentbatch": region(),
    "flexible_subsidyclaim": region(),
    "flexible_subsidymonth": region_via("claim"),
    # reporting
    "reporting_monthlysnapshot": region(),
    "reporting_target": reference("set by a province for its cities; read with the dashboard of every level"),
    # jobs: coordination state of the task workers (leases, SKIP LOCKED), never sharded
    "jobs_job": local(),
    "jobs_jobpart": local(),
}

# Distributed rows may point at these coordinator-local tables; Citus cannot keep such a foreign key, so the
# constraint is dropped when the table is distributed and the column stays a plain id (users are never deleted).
UNCONSTRAINED_TARGETS: dict[str, str] = {
    "accounts_user": "actors and account links; users are deactivated, never deleted",
}


@dataclass(frozen=True)
class CrossRegionFk:
    reason: str
    hot: bool  # on a path taken by every request or posting of its kind
    fix: str = ""


# Foreign keys between region-distributed tables whose child may carry another region than its parent, keyed by
# (table, column). Under Citus each stays a plain id column (no constraint) and a join over it may cross shards.
# The test runs a loan from application to repayment and finds exactly these two; docs/deployment.md lists them.
CROSS_REGION_FKS: dict[tuple[str, str], CrossRegionFk] = {
    ("loans_ledgeraccount", "loan_id"): CrossRegionFk(
        "a loan's ledger accounts are created without the loan's region (ledger.account(kind, loan=loan))",
        hot=True,
        fix="chuangye/loans/ledger.py account(): region_code=loan.region_code when a loan is given",
    ),
    ("loans_ledgerentry", "account_id"): CrossRegionFk(
        "every disbursement and repayment posts to the bank's national cash account (region blank) and to the "
        "loan's accounts (the loan's region) in one transaction",
        hot=True,
        fix="keep bank accounts per region (the key already allows bank:<id>:<region>): "
        "ledger.account(kind, bank=loan.bank, region_code=loan.region_code) in loans/actions.py and defaults.py",
    ),
}

GLOBAL = "global"
PER_REGION = "per_region"

# Unique constraints of distributed tables that do not include the distribution column, keyed by (table, columns).
# Citus enforces only unique constraints that include the distribution column. Those that contain a co-located
# foreign key are per region by construction and need no entry. PER_REGION: adding the region column keeps the
# meaning (the value embeds the region code, or the keyed object lives in one region). GLOBAL: national uniqueness
# would be lost; it needs a coordinator-local table of the keys, written in the same transaction.
UNIQUE_GAPS: dict[tuple[str, tuple[str, ...]], str] = {
    ("cases_case", ("applicant_user_id", "case_type", "idempotency_key")): PER_REGION,  # a retry asks the same region
    ("cases_case", ("number",)): PER_REGION,  # JY-2026-510104-000001
    ("flexible_certificate", ("number",)): PER_REGION,  # 5101042026...
    ("flexible_paymentbatch", ("number",)): PER_REGION,  # SBPF-2026-510104-0001
    ("incubators_contract", ("number",)): PER_REGION,  # FHXY-2026-510104-00001
    ("incubators_contract", ("space_id",)): PER_REGION,  # a space belongs to one carrier, in one region
    ("loans_loan", ("number",)): PER_REGION,  # DK2026510104000001
    ("loans_subsidybatch", ("number",)): PER_REGION,  # TX20265101040001
    ("services_eventsignup", ("article_id", "user_id")): PER_REGION,  # the article is in one region
    ("services_fairsignup", ("fair_id", "user_id", "side")): PER_REGION,  # the fair is in one region
    ("training_certificate", ("serial",)): PER_REGION,  # CYPX-2026-510104-000001
    ("training_claim", ("number",)): PER_REGION,  # PXBT-2026-510104-000001
    ("registry_person", ("id_number_index",)): GLOBAL,  # one registrant per resident ID, nationally
    ("registry_person", ("user_id",)): GLOBAL,  # one registrant per account
    ("registry_business", ("credit_code",)): GLOBAL,  # 统一社会信用代码
    ("loans_loan", ("bank_id", "contract_number")): GLOBAL,  # a bank's contract numbers
    ("loans_repayment", ("bank_id", "idempotency_key")): GLOBAL,  # a bank's retry keys
    ("loans_ledgeraccount", ("key",)): GLOBAL,  # national bank accounts (see CROSS_REGION_FKS)
    ("flexible_workerprofile", ("user_id",)): GLOBAL,  # one profile per account
    ("flexible_block", ("user_id",)): GLOBAL,  # one block per account
    ("services_seekerprofile", ("user_id",)): GLOBAL,  # one profile per account
    ("training_certificate", ("verify_code",)): GLOBAL,  # looked up by the public verification page
}


# ---------------------------------------------------------------------------------------------------------------
# Reading the models


@dataclass(frozen=True)
class FkRef:
    table: str
    column: str
    attname: str
    target: str
    target_column: str


def model_tables() -> dict[str, type[models.Model]]:
    """Every database table created by an installed model (with many-to-many through tables)."""
    tables: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.managed and not opts.proxy and not opts.swapped:
            tables[opts.db_table] = model
    return tables


def unclassified_tables() -> list[str]:
    return sorted(set(model_tables()) - set(PLAN))


def stale_entries() -> list[str]:
    return sorted(set(PLAN) - set(model_tables()))


def columns(table: str) -> set[str]:
    model = model_tables()[table]
    return {field.column for field in model._meta.local_fields}


def foreign_keys() -> Iterator[FkRef]:
    for table, model in sorted(model_tables().items()):
        for field in model._meta.local_fields:
            # OneToOneField is a ForeignKey; related_model is the resolved class once the apps are loaded.
            if isinstance(field, models.ForeignKey):
                target = field.related_model
                if target is None or isinstance(target, str):
                    continue
                yield FkRef(
                    table=table,
                    column=field.column,
                    attname=field.name,
                    target=target._meta.db_table,
                    target_column=field.target_field.column,
                )


def fk_field(table: str, name: str) -> models.ForeignKey[Any, Any] | None:
    model = model_tables()[table]
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.ForeignKey) else None


# ---------------------------------------------------------------------------------------------------------------
# Checking the plan against Citus's rules


class FkStatus(StrEnum):
    COLOCATED = "colocated"  # both region-distributed, same region by construction: (region_code, x_id) FK
    COLOCATED_PENDING = "colocated_pending"  # the child's column will be copied from this parent
    CROSS_REGION = "cross_region"  # documented in CROSS_REGION_FKS: no constraint under Citus
    TO_REFERENCE = "to_reference"  # any table -> reference table: allowed
    UNCONSTRAINED = "unconstrained"  # distributed/reference -> local target in UNCONSTRAINED_TARGETS
    LOCAL = "local"  # local -> local, local -> reference: allowed (coordinator in metadata)
    FORBIDDEN = "forbidden"  # a foreign key Citus cannot have and the plan does not document


def fk_status(fk: FkRef) -> FkStatus:
    if fk.table not in PLAN or fk.target not in PLAN:
        return FkStatus.FORBIDDEN  # unclassified: reported as such by plan_problems()
    child, parent = PLAN[fk.table], PLAN[fk.target]
    if parent.kind is Kind.REFERENCE:
        return FkStatus.TO_REFERENCE
    if parent.kind is Kind.LOCAL:
        if child.kind is Kind.LOCAL:
            return FkStatus.LOCAL
        return FkStatus.UNCONSTRAINED if fk.target in UNCONSTRAINED_TARGETS else FkStatus.FORBIDDEN
    # parent is distributed
    if child.kind is not Kind.DISTRIBUTED:
        return FkStatus.FORBIDDEN
    if (fk.table, fk.column) in CROSS_REGION_FKS:
        return FkStatus.CROSS_REGION
    if child.group != parent.group:
        return FkStatus.FORBIDDEN
    if child.via == fk.attname:
        return FkStatus.COLOCATED_PENDING
    return FkStatus.COLOCATED


def plan_problems() -> list[str]:
    """Everything in the plan that is untrue of the models or impossible on Citus; empty when all is well."""
    problems: list[str] = []
    tables = model_tables()
    problems += [f"{t}: no classification in chuangye.core.sharding.PLAN" for t in unclassified_tables()]
    problems += [f"{t}: classified but no model has this table" for t in stale_entries()]
    for table, plan in sorted(PLAN.items()):
        if table not in tables:
            continue
        cols = columns(table)
        if plan.kind is Kind.DISTRIBUTED:
            if not plan.column or not plan.group:
                problems.append(f"{table}: distributed without a column or a co-location group")
            elif plan.pending:
                if plan.column in cols:
                    problems.append(f"{table}: has {plan.column} now; the gap is closed, remove via=")
                fk = fk_field(table, plan.via)
                if fk is None:
                    problems.append(f"{table}: via={plan.via!r} is not a foreign key of the model")
                else:
                    target = PLAN.get(fk.related_model._meta.db_table)  # type: ignore[union-attr]
                    if target is None or not (
                        target.kind is Kind.REFERENCE
                        or (target.kind is Kind.DISTRIBUTED and target.group == plan.group)
                    ):
                        problems.append(f"{table}: via={plan.via!r} leads to a table without a region to copy")
            elif plan.column not in cols:
                problems.append(f"{table}: distributed by {plan.column}, which the table does not have")
        elif plan.column or plan.group or plan.via:
            problems.append(f"{table}: only distributed tables have a column, group or via")
    for ref in foreign_keys():
        if ref.table not in PLAN or ref.target not in PLAN:
            continue
        if fk_status(ref) is FkStatus.FORBIDDEN:
            problems.append(
                f"{ref.table}.{ref.column} -> {ref.target}: a foreign key Citus cannot keep "
                f"({PLAN[ref.table].kind} -> {PLAN[ref.target].kind}); change the plan or document it"
            )
    for key in sorted(CROSS_REGION_FKS):
        if not any((ref.table, ref.column) == key for ref in foreign_keys()):
            problems.append(f"CROSS_REGION_FKS names {key}, which is not a foreign key")
    return problems


def unique_constraints(table: str) -> Iterator[tuple[str, ...]]:
    """The column sets a table's constraints make unique (primary key excluded)."""
    opts = model_tables()[table]._meta
    column_of = {field.name: field.column for field in opts.local_fields}
    for field in opts.local_fields:
        if field.unique and not field.primary_key:
            yield (field.column,)
    for together in opts.unique_together:
        yield tuple(column_of[name] for name in together)
    for constraint in opts.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            yield tuple(column_of[name] for name in constraint.fields)


def unique_without_distribution_column() -> set[tuple[str, tuple[str, ...]]]:
    """Unique constraints of distributed tables without the distribution column or a co-located foreign key."""
    colocated = {
        (fk.table, fk.column)
        for fk in foreign_keys()
        if fk_status(fk) in (FkStatus.COLOCATED, FkStatus.COLOCATED_PENDING)
    }
    found: set[tuple[str, tuple[str, ...]]] = set()
    for table, plan in PLAN.items():
        if plan.kind is not Kind.DISTRIBUTED or table not in model_tables():
            continue
        for cols in unique_constraints(table):
            if plan.column not in cols and not any((table, col) in colocated for col in cols):
                found.add((table, cols))
    return found


# ---------------------------------------------------------------------------------------------------------------
# Checking the data and writing the Citus statements


def _region_path(table: str, alias: str, depth: int = 0) -> tuple[list[str], str] | None:
    """(joins, SQL expression) giving a row's region: its own column, or its parent's through ``via``."""
    plan = PLAN.get(table)
    if plan is None or depth > 5:
        return None
    if plan.column and plan.column in columns(table):
        return [], f'{alias}."{plan.column}"'
    if REGION_COLUMN in columns(table):
        return [], f'{alias}."{REGION_COLUMN}"'
    if not plan.via:
        return None
    via = fk_field(table, plan.via)
    if via is None:
        return None
    target = via.related_model._meta.db_table  # type: ignore[union-attr]
    parent_alias = f"{alias}v"
    found = _region_path(target, parent_alias, depth + 1)
    if found is None:
        return None
    joins, expr = found
    join = f'JOIN "{target}" {parent_alias} ON {alias}."{via.column}" = {parent_alias}."{via.target_field.column}"'
    return [join, *joins], expr


def colocated_checks() -> Iterator[tuple[FkRef, str]]:
    """(foreign key, SQL counting the child rows whose region differs from their parent's) for every foreign key
    claimed co-located (a pending child's region is read through its ``via`` parent) whose regions can be read."""
    for fk in foreign_keys():
        if fk_status(fk) is not FkStatus.COLOCATED:
            continue
        child = _region_path(fk.table, "c")
        parent = _region_path(fk.target, "p")
        if child is None or parent is None:
            continue
        joins = " ".join([*child[0], *parent[0]])
        # Table and column names come from the models, never from input.
        sql = (
            f'SELECT COUNT(*) FROM "{fk.table}" c JOIN "{fk.target}" p '  # noqa: S608
            f'ON c."{fk.column}" = p."{fk.target_column}" {joins} WHERE {child[1]} <> {parent[1]}'
        )
        yield fk, sql


def colocation_violations(using: str = "default") -> list[tuple[FkRef, int]]:
    """Foreign keys claimed co-located whose rows disagree on the region in this database, with the count."""
    found: list[tuple[FkRef, int]] = []
    with connections[using].cursor() as cursor:
        for fk, sql in colocated_checks():
            cursor.execute(sql)
            (count,) = cursor.fetchone()
            if count:
                found.append((fk, count))
    return found


def tables_of(kind: Kind) -> list[str]:
    return sorted(t for t, p in PLAN.items() if p.kind is kind and t in model_tables())


def citus_sql() -> str:
    """The statements that lay the plan onto a Citus cluster (run on the coordinator after `make migrate`).

    Preparation that depends on the named gaps (adding the pending region columns, moving primary keys to
    (region_code, id), rewriting co-located foreign keys as composite ones, dropping the cross-region and
    unconstrained ones) comes first and is listed as comments: it is a migration to write when the gaps close.
    """
    lines = ["-- chuangye sharding plan (chuangye/core/sharding.py); review before running", "BEGIN;"]
    pending = [t for t in tables_of(Kind.DISTRIBUTED) if PLAN[t].pending]
    if pending:
        lines.append("-- Gaps to close first (a region_code column copied from the parent):")
        lines += [f"--   {t}: via {PLAN[t].via}" for t in pending]
    lines.append("-- Coordinator-local tables that reference tables point at (or are pointed at by):")
    lines += [f"SELECT citus_add_local_table_to_metadata('{t}');" for t in tables_of(Kind.LOCAL)]
    lines += [f"SELECT create_reference_table('{t}');" for t in tables_of(Kind.REFERENCE)]
    anchors: dict[str, str] = {}
    for table in tables_of(Kind.DISTRIBUTED):
        plan = PLAN[table]
        if plan.pending:
            continue
        anchor = anchors.setdefault(plan.group, table)
        colocate = "" if anchor == table else f", colocate_with => '{anchor}'"
        lines.append(f"SELECT create_distributed_table('{table}', '{plan.column}'{colocate});")
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def summary(tables: Iterable[str] | None = None) -> dict[str, int]:
    counts = {kind.value: 0 for kind in Kind}
    counts["pending"] = 0
    for table in tables if tables is not None else model_tables():
        plan = PLAN.get(table)
        if plan is None:
            continue
        counts[plan.kind.value] += 1
        counts["pending"] += plan.pending
    return counts
