"""The sharding plan (chuangye/core/sharding.py) stays true of the models and of the data the actions write.

A model added without a classification, a distributed table without the column it names, a closed gap still listed,
a foreign key or unique constraint Citus cannot keep that nobody documented: each fails here with its table named.
"""

import datetime as dt

import pytest

from chuangye.core import sharding
from chuangye.core.sharding import PLAN, FkStatus, Kind
from chuangye.loans.actions import loan_repay
from chuangye.loans.testing import apply, approve, certify, disburse, make_guarantor
from chuangye.loans.tests.conftest import at


def test_every_table_is_classified_and_every_entry_has_a_table():
    assert sharding.unclassified_tables() == [], "classify these tables in chuangye.core.sharding.PLAN"
    assert sharding.stale_entries() == [], "these PLAN entries name no table any more"


def test_the_plan_has_no_problem():
    assert sharding.plan_problems() == []


def test_every_distributed_table_has_the_region_column_it_names_or_is_a_named_gap():
    tables = sharding.model_tables()
    for table, plan in PLAN.items():
        if plan.kind is not Kind.DISTRIBUTED:
            continue
        field_columns = {f.column: f for f in tables[table]._meta.local_fields}
        if plan.pending:
            assert plan.column not in field_columns, f"{table} has {plan.column}: close the gap in PLAN"
            continue
        assert plan.column in field_columns, f"{table} is distributed by {plan.column}, which it lacks"
        field = field_columns[plan.column]
        assert not field.null, f"{table}.{plan.column} may be NULL: a distribution column may not"
        if plan.group == sharding.REGION_GROUP:
            # One co-location group needs one column type: the 6-digit 行政区划 code.
            assert (type(field).__name__, field.max_length) == ("CharField", 6), f"{table}.{plan.column}"


def test_the_region_group_holds_the_hot_tables():
    for table in ("registry_person", "cases_case", "loans_loan", "loans_schedulerow", "policies_policymatch"):
        assert PLAN[table].kind is Kind.DISTRIBUTED and PLAN[table].group == sharding.REGION_GROUP, table
    for table in ("core_region", "accounts_organisation", "policies_parameteroverride", "loans_guaranteefund"):
        assert PLAN[table].kind is Kind.REFERENCE, table
    for table in ("accounts_user", "django_session", "django_tasks_database_dbtaskresult", "jobs_jobpart"):
        assert PLAN[table].kind is Kind.LOCAL, table


def test_foreign_keys_citus_cannot_keep_are_exactly_the_documented_ones():
    statuses = {(fk.table, fk.column): sharding.fk_status(fk) for fk in sharding.foreign_keys()}
    assert [key for key, status in statuses.items() if status is FkStatus.FORBIDDEN] == []
    cross = {key for key, status in statuses.items() if status is FkStatus.CROSS_REGION}
    assert cross == set(sharding.CROSS_REGION_FKS)
    # Both known exceptions are on the loans ledger's hot path and say how to close them.
    assert {key for key, exc in sharding.CROSS_REGION_FKS.items() if exc.hot} == {
        ("loans_ledgeraccount", "loan_id"),
        ("loans_ledgerentry", "account_id"),
    }
    assert all(exc.fix for exc in sharding.CROSS_REGION_FKS.values())
    # Distributed rows point at coordinator-local tables only through the documented targets.
    unconstrained = {fk.target for fk in sharding.foreign_keys() if sharding.fk_status(fk) is FkStatus.UNCONSTRAINED}
    assert unconstrained <= set(sharding.UNCONSTRAINED_TARGETS)
    # A real co-located pair: a loan's schedule rows follow the loan.
    assert statuses[("loans_schedulerow", "loan_id")] is FkStatus.COLOCATED_PENDING
    assert statuses[("loans_loan", "person_id")] is FkStatus.COLOCATED


def test_unique_constraints_without_the_region_column_are_documented():
    assert sharding.unique_without_distribution_column() == set(sharding.UNIQUE_GAPS)
    assert set(sharding.UNIQUE_GAPS.values()) <= {sharding.GLOBAL, sharding.PER_REGION}
    assert sharding.UNIQUE_GAPS[("registry_person", ("id_number_index",))] == sharding.GLOBAL


def test_a_table_added_without_classification_is_reported(monkeypatch):
    real = sharding.model_tables()
    monkeypatch.setattr(sharding, "model_tables", lambda: {**real, "newapp_thing": real["loans_loan"]})
    assert sharding.unclassified_tables() == ["newapp_thing"]
    assert "newapp_thing: no classification in chuangye.core.sharding.PLAN" in sharding.plan_problems()


def test_a_distributed_table_naming_a_missing_column_is_reported(monkeypatch):
    monkeypatch.setitem(PLAN, "loans_loan", sharding.TablePlan(Kind.DISTRIBUTED, "province_code", "region"))
    monkeypatch.setitem(PLAN, "loans_schedulerow", sharding.region())
    monkeypatch.setitem(PLAN, "cases_caseevent", sharding.region_via("nothing"))
    problems = sharding.plan_problems()
    assert "loans_loan: distributed by province_code, which the table does not have" in problems
    assert "loans_schedulerow: distributed by region_code, which the table does not have" in problems
    assert "cases_caseevent: via='nothing' is not a foreign key of the model" in problems


def test_an_undocumented_cross_region_or_forbidden_key_is_reported(monkeypatch):
    monkeypatch.setitem(PLAN, "accounts_organisation", sharding.region())  # reference tables point at it
    monkeypatch.setitem(PLAN, "finance_financialproduct", sharding.reference())
    problems = sharding.plan_problems()
    assert any(p.startswith("finance_financialproduct.bank_id -> accounts_organisation") for p in problems)
    monkeypatch.delitem(sharding.CROSS_REGION_FKS, ("loans_ledgerentry", "account_id"))
    statuses = {(fk.table, fk.column): sharding.fk_status(fk) for fk in sharding.foreign_keys()}
    assert statuses[("loans_ledgerentry", "account_id")] is FkStatus.COLOCATED  # so the data check now covers it


def test_citus_statements_name_every_classified_table_once():
    sql = sharding.citus_sql()
    for table, plan in PLAN.items():
        if plan.kind is Kind.REFERENCE:
            assert sql.count(f"create_reference_table('{table}')") == 1
        elif plan.kind is Kind.LOCAL:
            assert sql.count(f"citus_add_local_table_to_metadata('{table}')") == 1
        elif plan.pending:
            assert f"--   {table}: via {plan.via}" in sql and f"create_distributed_table('{table}'" not in sql
        else:
            assert f"create_distributed_table('{table}', '{plan.column}'" in sql
    assert "create_distributed_table('registry_person', 'region_code', colocate_with => 'cases_case')" in sql


@pytest.mark.django_db
def test_a_loan_from_application_to_repayment_writes_co_located_rows(li_xiaoyu, wang_fang, huang_lei):
    """Every foreign key the plan calls co-located joins rows of one region in what the real actions write
    (application case, key-group status, policy decision, loan, schedule, ledger, repayment); the two documented
    ledger exceptions are the only keys that would cross regions, and they do."""
    certify(li_xiaoyu.person)
    guarantor = make_guarantor()
    with at(2025, 6, 3):
        case = approve(apply(li_xiaoyu, huang_lei), wang_fang, guarantor, huang_lei)
    with at(2025, 6, 10):
        loan = disburse(case, huang_lei)
    with at(2025, 6, 20):
        loan_repay(actor=huang_lei, loan=loan, paid_on=dt.date(2025, 6, 20), principal="0", interest="166.67")
    assert loan.region_code == "510104"
    assert sharding.colocation_violations() == []
    checked = {(fk.table, fk.column) for fk, _ in sharding.colocated_checks()}
    assert {("loans_loan", "person_id"), ("loans_loan", "application_id"), ("loans_loanapplication", "case_id")} <= (
        checked
    )
    # Without their exception entries, the ledger keys are caught by the same data check.
    saved = dict(sharding.CROSS_REGION_FKS)
    try:
        sharding.CROSS_REGION_FKS.clear()
        found = {(fk.table, fk.column) for fk, _ in sharding.colocation_violations()}
    finally:
        sharding.CROSS_REGION_FKS.update(saved)
    assert found == set(saved)
