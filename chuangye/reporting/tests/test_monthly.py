"""The monthly job: a job split by region and a command, one stored snapshot per region and month, idempotent."""

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command

from chuangye.jobs.actions import job_start
from chuangye.jobs.schedule import start_due
from chuangye.reporting.models import MonthlySnapshot
from chuangye.reporting.periods import Period, parse_period

pytestmark = pytest.mark.django_db


def test_command_stores_one_snapshot_per_bureau_region_and_is_idempotent(registry_world, wang_fang, chen_gang, capsys):
    call_command("reporting_monthly", "--month", "2026-03")
    # 锦江区 and 武侯区 have bureaus; their city and province are reported too.
    regions = sorted(MonthlySnapshot.objects.values_list("region_code", flat=True))
    assert regions == ["510000", "510100", "510104", "510107"]
    city = MonthlySnapshot.objects.get(region_code="510100", year=2026, month=3)
    assert city.values["registry.people_new"] == {"value": "5", "n": 5}
    assert city.values["registry.new_founders"]["value"] == "2"
    first = {s.region_code: s.values for s in MonthlySnapshot.objects.all()}
    call_command("reporting_monthly", "--month", "2026-03")
    assert MonthlySnapshot.objects.count() == 4
    assert {s.region_code: s.values for s in MonthlySnapshot.objects.all()} == first
    assert "4 个行政区划" in capsys.readouterr().out


def test_the_calendar_reports_the_last_complete_month_one_part_per_region(registry_world, wang_fang):
    with time_machine.travel(dt.datetime(2026, 4, 1, 3, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        (job,) = [j for j in start_due() if j.kind == "reporting.monthly"]
    job.refresh_from_db()
    assert (job.params, job.parts_total, job.result) == ({"year": 2026, "month": 3}, 3, {"regions": 3})
    again = job_start("reporting.monthly", {"year": 2026, "month": 3})
    assert again.state == "done" and MonthlySnapshot.objects.filter(year=2026, month=3).count() == 3
    snapshot = MonthlySnapshot.objects.get(region_code="510104", year=2026, month=3)
    assert snapshot.year_to_date["registry.people_new"]["value"] == "4"  # 陈旧 registered in January


def test_command_refuses_a_bad_month():
    with pytest.raises(CommandError):
        call_command("reporting_monthly", "--month", "2026-Q1")
    with pytest.raises(CommandError):
        call_command("reporting_monthly", "--month", "March")


def test_periods():
    assert parse_period("2026-03") == Period("month", 2026, 3)
    assert parse_period("2026-q4").end == dt.date(2026, 12, 31)
    assert parse_period("2024-02").end == dt.date(2024, 2, 29)
    assert [p.code for p in parse_period("2026-02").trend()][:2] == ["2025-03", "2025-04"]
    assert parse_period("2026").trend()[0].code == "2022"
    for bad in ("2026-13", "26-01", "2026-Q5", ""):
        with pytest.raises(Exception, match="统计期"):
            parse_period(bad)


def test_demo_seed_is_idempotent(registry_world, wang_fang):
    from chuangye.reporting.demo import seed

    with time_machine.travel(dt.datetime(2026, 4, 3, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        assert seed() == "统计报表：2026年3月统计快照新增 3 个行政区划"
        assert seed() == "统计报表：2026年3月统计快照新增 0 个行政区划"
    assert MonthlySnapshot.objects.count() == 3
