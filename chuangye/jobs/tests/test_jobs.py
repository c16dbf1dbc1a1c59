"""Jobs split into parts: a split run gives exactly what one run gives; a part is run by one claim holder only; a
part whose worker died is taken over after its lease; failures are retried then reported; scheduled runs start once
a period; staff follow progress in their scope."""

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from chuangye.accounts.models import Role
from chuangye.accounts.testing import make_user, sign_in
from chuangye.core.audit import record_event
from chuangye.core.models import AuditEvent
from chuangye.demo.population import Population, populate
from chuangye.inbox.models import Message
from chuangye.jobs import actions
from chuangye.jobs.kinds import JobKind, Part, combine, register
from chuangye.jobs.models import Job, JobPart, State
from chuangye.jobs.schedule import start_due
from chuangye.policies.actions import parameter_override_create
from chuangye.policies.models import PolicyMatch, ProactiveGrant
from chuangye.policies.scan import scan

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 2)
NOTES: list[str] = []


def _note_split(params):
    return [Part(f"第{i}片", {"i": i}) for i in range(int(params.get("parts", 2)))]


def _note_run(params, part):
    """Writes an audit event (the part's visible effect) and can fail or be displaced on request."""
    record_event(f"test.note.{part['i']}", region_code="510104")
    if params.get("displace") == part["i"]:
        JobPart.objects.filter(job__kind="test.note", params__i=part["i"]).update(claim="someone-else")
    if part["i"] in params.get("fail", []):
        NOTES.append(f"fail {part['i']}")
        raise RuntimeError("boom")
    return {"written": 1}


register(JobKind("test.note", "测试任务", _note_split, _note_run))


def _events():
    return AuditEvent.objects.filter(action__startswith="test.note.").count()


def test_parts_run_once_and_the_job_closes_with_the_summed_result():
    job = actions.job_start("test.note", {"parts": 3})
    job.refresh_from_db()
    assert (job.state, job.parts_total, job.result) == (State.DONE, 3, {"written": 3})
    assert _events() == 3
    part = job.parts.first()
    assert actions.part_run(part.pk) == "skipped"  # a second delivery of the same task does nothing
    assert _events() == 3 and AuditEvent.objects.filter(action="jobs.finished", object_id=str(job.pk)).count() == 1


def test_a_live_claim_blocks_a_second_run_and_an_expired_one_is_taken_over():
    job = Job.objects.create(kind="test.note", label="测试任务", params={"parts": 1}, parts_total=1)
    part = JobPart.objects.create(job=job, number=1, label="第0片", params={"i": 0}, enqueued_at=timezone.now())
    # A worker claimed the part and was then killed: the lease still runs, so nobody else takes it.
    assert actions._claim(part.pk, "host:1") is not None
    assert actions.part_run(part.pk, worker="host:2") == "skipped"
    assert actions.requeue_stale() == 0
    # Once the lease has run out, a worker's sweep queues it again and it runs (here at once: immediate backend).
    later = timezone.now() + actions.lease() + timedelta(seconds=1)
    assert actions.requeue_stale(now=later) == 1
    part.refresh_from_db()
    job.refresh_from_db()
    assert (part.state, part.attempts, job.state, _events()) == (State.DONE, 2, State.DONE, 1)


def test_a_displaced_run_leaves_nothing_behind():
    job = actions.job_start("test.note", {"parts": 1, "displace": 0})
    part = job.parts.get()
    assert part.state == State.RUNNING and _events() == 0  # its writes were rolled back with the refused done-mark


def test_failures_are_retried_then_reported_and_fail_the_job():
    NOTES.clear()
    job = actions.job_start("test.note", {"parts": 2, "fail": [1]})
    job.refresh_from_db()
    failed = job.parts.get(number=2)
    assert NOTES == ["fail 1"] * actions.MAX_ATTEMPTS
    assert (failed.state, failed.attempts, "RuntimeError: boom" in failed.error) == (State.FAILED, 3, True)
    assert job.state == State.FAILED and job.result == {"written": 1}  # the good part's writes stand
    assert _events() == 1


def test_a_unique_key_starts_a_job_once():
    first = actions.job_start("test.note", {"parts": 1}, unique_key="test:2026-11-26")
    again = actions.job_start("test.note", {"parts": 1}, unique_key="test:2026-11-26")
    assert first.pk == again.pk and Job.objects.count() == 1 and _events() == 1


def test_combine_sums_counts_and_decimal_totals_exactly():
    results = [{"n": 1, "amount_total": "0.10", "state": "done"}, {"n": 2, "amount_total": "0.20"}]
    assert combine(results) == {"n": 3, "amount_total": "0.30", "state": "done"}


def test_the_calendar_starts_each_run_once_per_period():
    make_user("sup", Role.SUPERVISOR, region_code="510104")
    with time_machine.travel(dt.datetime(2026, 11, 26, 2, 30, tzinfo=dt.UTC).astimezone(), tick=False):
        # 10:30 Beijing time: every daily run is due, and the monthly report of October.
        started = {job.kind for job in start_due()}
        assert started == {"cases.deadlines", "loans.daily", "services.daily", "policies.scan", "reporting.monthly"}
        assert start_due() == []
    monthly = Job.objects.get(kind="reporting.monthly")
    assert monthly.unique_key == "reporting.monthly:2026-11" and monthly.params == {"year": 2026, "month": 10}
    with time_machine.travel(dt.datetime(2026, 11, 26, 16, 10, tzinfo=dt.UTC), tick=False):
        # 00:10 on the 27th in Beijing: nothing is due yet that day.
        assert start_due() == []
    assert all(job.state == State.DONE for job in Job.objects.all())


@pytest.fixture
def population(db):
    officer = make_user("officer_a", Role.OFFICER, region_code="510104")
    supervisor = make_user("super_city", Role.SUPERVISOR, region_code="510100")
    for name, region, value in (
        ("subsidy.startup_once.amount", "510100", "10000.00"),
        ("subsidy.startup_once.grant_without_application", "510108", "是"),
    ):
        parameter_override_create(
            actor=supervisor,
            name=name,
            region_code=region,
            value=value,
            effective_from="2026-01-01",
            document_number="测试文件",
        )
    spec = Population(count=600, seed=11, residence_regions=["510104", "510107", "510108"], deciders={})
    spec.deciders = dict.fromkeys(spec.residence_regions, officer)
    populate(spec)


def _outcome():
    matches = sorted(PolicyMatch.objects.values_list("person_id", "policy_code", "region_code", "eligible", "amount"))
    grants = sorted(ProactiveGrant.objects.values_list("person_id", "policy_code"))
    return matches, grants, Message.objects.count()


def test_a_scan_split_into_parts_equals_one_scan(population):
    job = actions.job_start("policies.scan", {"on": ON.isoformat(), "part_size": 70, "notify": True})
    job.refresh_from_db()
    assert job.state == State.DONE and job.parts_total >= 9  # three counties, about 200 people each, 70 per part
    assert {p.params["region"] for p in job.parts.all()} == {"510104", "510107", "510108"}
    split = _outcome()
    assert split[0] and split[1]  # people qualified, and 金牛区 granted some without an application
    PolicyMatch.objects.all().delete()
    ProactiveGrant.objects.all().delete()
    Message.objects.all().delete()
    from chuangye.cases.models import Case

    Case.objects.filter(case_type="policy.grant").delete()
    single = scan(on=ON, notify_people=True)
    assert _outcome() == split
    assert job.result["people"] == single.people == 600
    assert (job.result["newly_eligible"], job.result["grants"]) == (single.newly_eligible, single.grants)
    # Running the whole job again changes nothing and tells nobody twice.
    again = actions.job_start("policies.scan", {"on": ON.isoformat(), "part_size": 70, "notify": True})
    again.refresh_from_db()
    assert again.result["changed"] == 0 and again.result["grants"] == 0 and _outcome() == split


def test_staff_follow_jobs_in_their_scope_and_start_a_scan_of_their_region(wang_fang, chen_gang, zhou_jing):
    job = actions.job_start("test.note", {"parts": 2}, actor=wang_fang, region_code="510104")
    mine = sign_in(Client(), wang_fang)
    page = mine.get("/workbench/jobs/").content.decode()
    assert "测试任务" in page and "2 / 2" in page
    detail = mine.get(f"/workbench/jobs/{job.pk}/").content.decode()
    assert "第0片" in detail and "已完成" in detail and "every 2s" not in detail
    assert sign_in(Client(), zhou_jing).get(f"/workbench/jobs/{job.pk}/progress/").status_code == 200
    neighbour = sign_in(Client(), chen_gang)
    assert neighbour.get(f"/workbench/jobs/{job.pk}/").status_code == 404
    assert "测试任务" not in neighbour.get("/workbench/jobs/").content.decode()
    api = mine.get(f"/api/v1/jobs/{job.pk}").json()
    assert (api["state"], api["parts_total"], api["parts_done"], api["result"]) == ("done", 2, 2, {"written": 2})
    assert neighbour.get(f"/api/v1/jobs/{job.pk}").status_code == 404
    started = mine.post("/workbench/jobs/scan/")
    scan_job = Job.objects.get(kind="policies.scan")
    assert started.status_code == 302 and started["Location"] == f"/workbench/jobs/{scan_job.pk}/"
    assert scan_job.params["region_prefix"] == "510104" and scan_job.created_by == wang_fang


def test_a_scan_already_running_for_the_region_is_not_started_twice(wang_fang):
    Job.objects.create(kind="policies.scan", label="x", params={"region_prefix": "510104"}, region_code="510104")
    client = sign_in(Client(), wang_fang)
    response = client.post("/workbench/jobs/scan/", follow=True)
    assert "本地区的政策找人正在进行" in response.content.decode()
    assert Job.objects.filter(kind="policies.scan").count() == 1


def test_the_worker_command_needs_a_queue_and_start_job_runs_a_kind(capsys):
    with pytest.raises(CommandError, match="CHUANGYE_TASKS=immediate"):
        call_command("run_worker")
    call_command("start_job", "test.note", "--param", "parts=2")
    out = capsys.readouterr().out
    assert "2 个分片" in out and "状态：已完成" in out
    with pytest.raises(CommandError, match="没有这种任务"):
        call_command("start_job", "no.such")
