import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from chuangye.accounts.models import Role, User
from chuangye.core.audit import record_event, verify_chains
from chuangye.core.models import AuditChain, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def wang_fang():
    return User.objects.create_user("officer_jj", role=Role.OFFICER, region_code="510104", real_name="王芳")


def test_events_form_a_chain_per_region(wang_fang):
    first = record_event("person.reveal", actor=wang_fang, object_type="person", object_id=7, details={"field": "id"})
    second = record_event("login.failed", outcome="failure", details={"username": "nobody"})
    third = record_event("case.accept", actor=wang_fang, object_type="case", object_id="C-1")
    neighbour = record_event("case.accept", region_code="510107", object_type="case", object_id="C-2")
    assert (first.chain, first.seq, first.prev_hash) == ("510104", 1, "")
    assert (third.chain, third.seq, third.prev_hash) == ("510104", 2, first.hash)
    assert (neighbour.chain, neighbour.seq, neighbour.prev_hash) == ("510107", 1, "")  # its own chain: no waiting
    assert (second.chain, second.seq) == ("00", 1)
    assert first.actor_role == "officer" and first.region_code == "510104"
    assert AuditChain.objects.get(name="510104").head_hash == third.hash
    assert verify_chains() == []
    call_command("verify_audit")


def test_the_orm_refuses_to_change_or_delete_events(wang_fang):
    event = record_event("x", actor=wang_fang)
    event.action = "y"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="y")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_audit_catches_a_row_changed_in_the_database(wang_fang):
    events = [record_event("case.approve", actor=wang_fang, object_id=i) for i in range(3)]
    _raw("UPDATE core_auditevent SET object_id = %s WHERE id = %s", ["999", events[1].pk])
    problems = verify_chains()
    assert [(p.chain, p.seq) for p in problems] == [("510104", 2)]
    with pytest.raises(CommandError, match="审计日志校验失败"):
        call_command("verify_audit")


def test_verify_audit_catches_a_deleted_row(wang_fang):
    events = [record_event("case.approve", actor=wang_fang, object_id=i) for i in range(3)]
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    assert any("删除" in str(p) for p in verify_chains())


def test_verify_audit_catches_a_deleted_tail(wang_fang):
    events = [record_event("case.approve", actor=wang_fang, object_id=i) for i in range(3)]
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    assert [p.seq for p in verify_chains()] == [3]


def test_verify_audit_catches_a_rehashed_row(wang_fang):
    # Someone who edits a row and recomputes its hash still breaks the link to the next row.
    from chuangye.core.audit import compute_hash

    events = [record_event("case.approve", actor=wang_fang, object_id=i) for i in range(3)]
    forged = AuditEvent.objects.get(pk=events[0].pk)
    forged.object_id = "forged"
    _raw(
        "UPDATE core_auditevent SET object_id = %s, hash = %s WHERE id = %s",
        ["forged", compute_hash(forged), forged.pk],
    )
    assert [p.seq for p in verify_chains()] == [2]


def test_details_survive_the_database_round_trip(wang_fang):
    from decimal import Decimal

    record_event("loan.disburse", actor=wang_fang, details={"amount": Decimal("300000.00"), "b": [1, "二"], "a": None})
    assert verify_chains() == []
