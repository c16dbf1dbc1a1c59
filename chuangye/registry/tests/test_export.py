"""Exporting people to Excel: scope and filters like the list, masked, key groups in force, formulas neutralised,
rate-limited and audited."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from chuangye.accounts.testing import sign_in
from chuangye.core.ids import generate_resident_id
from chuangye.core.models import AuditEvent
from chuangye.registry.excel import neutralise
from chuangye.registry.models import KeyGroupCategory, KeyGroupStatus, Person

pytestmark = pytest.mark.django_db
URL = "/workbench/people/export.xlsx"


def rows_of(response) -> list[list]:
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(line) for line in sheet.iter_rows()]


def values(response) -> list[list]:
    return [[c.value for c in line] for line in rows_of(response)]


def certify(person: Person, code: str, start: dt.date, end: dt.date | None = None) -> None:
    KeyGroupStatus.objects.create(
        person=person,
        category=KeyGroupCategory.objects.get(code=code),
        state="certified",
        valid_from=start,
        valid_to=end,
        region_code=person.region_code,
    )


@pytest.fixture
def wei_ning(db):
    person = Person(
        name="魏宁", sex="M", birth_date=dt.date(1990, 1, 1), hukou_region_code="510107", region_code="510107"
    )
    person.set_name("魏宁")
    person.set_id_number(generate_resident_id("510107", dt.date(1990, 1, 1), "M", 9))
    person.save()
    return person


def test_an_officer_exports_her_county_masked_with_key_groups_in_force(wang_fang, li_xiaoyu, zhao_jianguo, wei_ning):
    today = timezone.localdate()
    certify(li_xiaoyu.person, "graduate", today - dt.timedelta(days=30))
    certify(zhao_jianguo.person, "returning_migrant", today - dt.timedelta(days=400), today - dt.timedelta(days=1))
    table = values(sign_in(Client(), wang_fang).get(URL))
    assert table[0][:5] == ["姓名", "性别", "出生日期", "身份证号（脱敏）", "手机号（脱敏）"]
    people = {line[0]: line for line in table[1:]}
    assert set(people) == {"李晓雨", "赵建国"}  # not 魏宁 of 武侯区
    li = people["李晓雨"]
    assert li[3] == li_xiaoyu.person.id_number_masked and li[4] == "138****0001"
    assert li[11] == "高校毕业生"
    assert people["赵建国"][11] is None  # expired yesterday: no longer counts
    flat = repr(table)
    assert li_xiaoyu.person.id_number not in flat and "13800000001" not in flat


def test_the_export_applies_the_list_filters_and_is_audited_without_identifiers(yang_fan, li_xiaoyu, wei_ning):
    client = sign_in(Client(), yang_fan)
    assert {line[0] for line in values(client.get(URL))[1:]} == {"李晓雨", "魏宁"}
    assert [line[0] for line in values(client.get(URL, {"region_code": "510107"}))[1:]] == ["魏宁"]
    assert [line[0] for line in values(client.get(URL, {"q": "lxy"}))[1:]] == ["李晓雨"]
    certify(wei_ning, "veteran", timezone.localdate())
    assert [line[0] for line in values(client.get(URL, {"group": "veteran"}))[1:]] == ["魏宁"]
    client.get(URL, {"q": li_xiaoyu.person.id_number})
    events = list(AuditEvent.objects.filter(action="person.export").order_by("seq"))
    assert [e.details["count"] for e in events] == [2, 1, 1, 1, 1]
    assert events[2].details["q"] == "lxy" and events[3].details["group"] == "veteran"
    assert events[4].details["q"] == li_xiaoyu.person.id_number_masked  # never the full ID number in the log
    assert events[0].actor_id == yang_fan.pk and events[0].region_code == "510100"


@pytest.mark.parametrize("payload", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_cells_that_a_spreadsheet_would_run_are_exported_as_plain_text(wang_fang, li_xiaoyu, payload):
    Person.objects.filter(pk=li_xiaoyu.person.pk).update(school=payload)
    cells = rows_of(sign_in(Client(), wang_fang).get(URL))
    school = cells[1][8]
    # XML turns a stored carriage return into a line feed on reading; the apostrophe is what matters.
    assert school.value == "'" + payload.replace("\r", "\n") and school.data_type == "s"
    assert neutralise("四川大学") == "四川大学" and neutralise(12) == 12


def test_exports_are_rate_limited(wang_fang):
    client = sign_in(Client(), wang_fang)
    statuses = [client.get(URL).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_citizens_and_banks_cannot_export(li_xiaoyu, huang_lei):
    assert sign_in(Client(), li_xiaoyu).get(URL).status_code == 403
    assert sign_in(Client(), huang_lei).get(URL).status_code == 403
    assert not AuditEvent.objects.filter(action="person.export").exists()


def test_the_api_export_is_scoped_and_audited(chen_gang, li_xiaoyu, wei_ning):
    response = sign_in(Client(), chen_gang).get("/api/v1/exports/people")
    assert [line[0] for line in values(response)[1:]] == ["魏宁"]
    assert AuditEvent.objects.get(action="person.export").details["count"] == 1
    refused = sign_in(Client(), li_xiaoyu).get("/api/v1/exports/people")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
