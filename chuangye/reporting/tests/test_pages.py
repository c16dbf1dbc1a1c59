"""The pages and the API: scope (a province officer sees its cities and counties, a county officer only their
own), drill-down lists (scoped and masked), Excel exports read back, targets, the public page's suppression, and
bad input answered with a message."""

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from chuangye.accounts.testing import sign_in
from chuangye.core.models import AuditEvent
from chuangye.reporting.models import Target

pytestmark = pytest.mark.django_db
MARCH = "2026-03"


def get(user, url, **params):
    return sign_in(Client(), user).get(url, params)


def workbook(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def test_province_officer_sees_cities_and_counties(registry_world, zhou_jing):
    page = get(zhou_jing, "/reporting/", period=MARCH, kpi="registry.people_new")
    assert page.status_code == 200
    html = page.content.decode()
    assert "成都市" in html and "自贡市" in html  # the cities of 四川省
    county = get(zhou_jing, "/reporting/", region="510104", period=MARCH, kpi="registry.people_new")
    assert county.status_code == 200 and "锦江区" in county.content.decode()


def test_county_officer_sees_only_their_own(registry_world, wang_fang):
    own = get(wang_fang, "/reporting/", period=MARCH)
    assert own.status_code == 200
    assert "下级地区对比" not in own.content.decode()  # a county has no sub-regions
    for region in ("510107", "510100", "510000", "999999", "abc"):
        assert get(wang_fang, "/reporting/", region=region).status_code == 404, region
        assert get(wang_fang, "/reporting/drill/", region=region).status_code == 404, region
        assert get(wang_fang, "/reporting/monthly/", region=region).status_code == 404, region


def test_citizens_and_banks_are_refused(li_xiaoyu, huang_lei):
    for user in (li_xiaoyu, huang_lei):
        assert get(user, "/reporting/").status_code == 403
        assert get(user, "/reporting/drill/").status_code == 403


def test_summary_table_shows_hand_counted_figures(registry_world, yang_fan):
    html = get(yang_fan, "/reporting/", period=MARCH).content.decode()
    row = re.search(r"重点群体新创业人数</a></td><td>人</td>\s*<td><a [^>]*>(\d+)</a>", html)
    assert row is not None and row.group(1) == "2"


def test_drill_down_lists_masked_records_in_scope(registry_world, yang_fan, wang_fang):
    page = get(yang_fan, "/reporting/drill/", region="510100", period=MARCH, kpi="registry.new_founders")
    html = page.content.decode()
    assert page.status_code == 200
    assert "钱一" in html and "郑五" in html and "孙二" not in html
    qian = registry_world["people"]["钱一"]
    assert qian.id_number not in html and qian.id_number_masked in html
    own = get(wang_fang, "/reporting/drill/", period=MARCH, kpi="registry.new_founders").content.decode()
    assert "钱一" in own and "郑五" not in own  # 武侯区's founder is out of 锦江区's scope
    sheet = workbook(
        get(yang_fan, "/reporting/drill/", region="510100", period=MARCH, kpi="registry.new_founders", export="xlsx")
    ).active
    names = sorted(str(r[0]) for r in sheet.iter_rows(min_row=2, values_only=True))
    assert len(names) == 2 and names[0].startswith(("钱一", "郑五")) and "*" in names[0]


def test_drill_down_by_key_group_lists_the_rows_of_that_groups_figure(registry_world, yang_fan):
    from chuangye.registry.models import KeyGroupCategory

    graduate = KeyGroupCategory.objects.get(code="graduate").name
    other = KeyGroupCategory.objects.get(code="new_citizen").name
    html = get(yang_fan, "/reporting/drill/", period=MARCH, kpi="registry.new_founders", dim=graduate).content.decode()
    assert "钱一" in html and "郑五" in html
    html = get(yang_fan, "/reporting/drill/", period=MARCH, kpi="registry.new_founders", dim=other).content.decode()
    assert "钱一" not in html and "没有记录" in html


def test_drill_down_by_group(registry_world, yang_fan):
    page = get(yang_fan, "/reporting/drill/", period=MARCH, kpi="registry.businesses_new", dim="enterprise")
    html = page.content.decode()
    assert "吴郑科技有限公司" in html and "钱一周三小吃店" not in html


def test_dashboard_tables_export_to_excel(registry_world, zhou_jing):
    summary = workbook(get(zhou_jing, "/reporting/", period=MARCH, export="summary")).active
    rows = {r[1]: r for r in summary.iter_rows(min_row=2, values_only=True)}
    assert rows["新增登记人员"][3] == 6 and rows["重点群体新创业人数"][3] == 2
    comparison = workbook(
        get(zhou_jing, "/reporting/", period=MARCH, kpi="registry.people_new", export="comparison")
    ).active
    by_code = {r[0]: r[2] for r in comparison.iter_rows(min_row=2, values_only=True)}
    assert by_code["510100"] == 5 and by_code["510300"] == 1
    trend = workbook(get(zhou_jing, "/reporting/", period=MARCH, kpi="registry.people_new", export="trend")).active
    values = list(trend.iter_rows(min_row=2, values_only=True))
    assert len(values) == 12 and values[-1][:2] == ("2026年3月", 6) and values[-2][:2] == ("2026年2月", 0)
    breakdown = workbook(
        get(zhou_jing, "/reporting/", period=MARCH, kpi="registry.key_groups_certified", export="breakdown")
    ).active
    assert sorted(r[1] for r in breakdown.iter_rows(min_row=2, values_only=True)) == [1, 2]


def test_monthly_report_workbook_fixed_layout(registry_world, yang_fan):
    book = workbook(get(yang_fan, "/reporting/monthly/", month=MARCH, export="xlsx"))
    assert book.sheetnames == ["月报", "分地区", "指标口径"]
    sheet = book["月报"]
    assert "成都市" in sheet["A1"].value and "2026年3月" in sheet["A2"].value
    assert [c.value for c in sheet[4]] == ["序号", "类别", "指标", "单位", "本月", "本年累计", "年度目标", "完成进度"]
    rows = {r[2]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["新增登记人员"][4] == 5 and rows["新增登记人员"][5] == 6  # the year to date adds 陈旧 (January)
    assert rows["登记人员总数（期末）"][4] == 6
    regions = {r[0]: r for r in book["分地区"].iter_rows(min_row=2, values_only=True)}
    assert regions["510104"][2] == 3 and regions["510107"][2] == 2


def test_target_versus_actual(registry_world, yang_fan):
    client = sign_in(Client(), yang_fan)
    response = client.post(
        "/reporting/targets/",
        {"region": "510100", "kpi": "registry.people_new", "year": "2026", "value": "10", "period": MARCH},
    )
    assert response.status_code == 302
    html = client.get("/reporting/", {"period": MARCH}).content.decode()
    assert re.search(r"新增登记人员</a>.*?<td>6</td><td>10</td><td>60\.0%</td>", html, re.S)
    assert AuditEvent.objects.filter(action="reporting.target_set").count() == 1


def test_bad_target_is_refused_with_a_message(registry_world, yang_fan, wang_fang):
    client = sign_in(Client(), yang_fan)
    for value in ("abc", "-1", "1.5", "12.345"):
        response = client.post(
            "/reporting/targets/",
            {"region": "510100", "kpi": "registry.people_new", "year": "2026", "value": value},
            follow=True,
        )
        assert response.status_code == 200
        assert "目标值" in response.content.decode(), value
    refused = client.post(
        "/reporting/targets/",
        {"region": "510100", "kpi": "cases.on_time_rate", "year": "2026", "value": "120"},
        follow=True,
    )
    assert "0 到 100" in refused.content.decode()
    # A county officer may not set the city's target (out of scope: 404).
    assert (
        sign_in(Client(), wang_fang)
        .post("/reporting/targets/", {"region": "510100", "kpi": "registry.people_new", "year": "2026", "value": "3"})
        .status_code
        == 404
    )
    assert Target.objects.count() == 0


def test_bad_period_gets_a_message_not_an_error(wang_fang):
    response = get(wang_fang, "/reporting/", period="2026-13", kpi="nope")
    assert response.status_code == 200
    html = response.content.decode()
    assert "「统计期」" in html and "「指标」" in html


def test_public_page_suppresses_small_counts_and_shows_no_personal_data(registry_world):
    response = Client().get("/reporting/public/", {"region": "510100", "year": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "钱一" not in html and "郑五" not in html
    # 成都市 2026: 6 new registrants (shown), 2 new key-group founders (fewer than five: withheld).
    assert re.search(r"<td>新增登记人员</td><td>6</td>", html)
    assert re.search(r"<td>重点群体新创业人数</td><td>&lt;5</td>", html)
    api = Client().get("/api/v1/reporting/public", {"region": "510100", "year": 2026}).json()
    figures = {f["code"]: f for f in api}
    assert figures["registry.new_founders"]["suppressed"] and figures["registry.new_founders"]["value"] is None
    assert figures["registry.people_new"]["value"] == "6"
    assert "loans.repayment_rate" not in figures
    assert Client().get("/api/v1/reporting/public", {"year": 1990}).status_code == 422
    assert Client().get("/reporting/public/", {"region": "12", "year": "x"}).status_code == 200


def test_api_summary_is_scoped(registry_world, wang_fang, zhou_jing):
    mine = sign_in(Client(), wang_fang).get("/api/v1/reporting/summary", {"period": MARCH}).json()
    figures = {f["code"]: f for f in mine["figures"]}
    assert mine["region_code"] == "510104" and figures["registry.people_new"]["value"] == "3"
    assert sign_in(Client(), wang_fang).get("/api/v1/reporting/summary", {"region": "510107"}).status_code == 404
    cities = (
        sign_in(Client(), zhou_jing)
        .get("/api/v1/reporting/comparison", {"kpi": "registry.people_new", "period": MARCH})
        .json()
    )
    assert {c["region_code"]: c["value"] for c in cities}["510100"] == "5"
    assert sign_in(Client(), zhou_jing).get("/api/v1/reporting/summary", {"period": "bad"}).status_code == 422
    assert Client().get("/api/v1/reporting/summary").status_code == 401


def test_officer_nav_lists_reporting(wang_fang, li_xiaoyu):
    from chuangye.core.nav import entries_for

    assert "reporting:dashboard" in [e.url_name for e in entries_for("workbench", wang_fang)]
    assert "reporting:dashboard" not in [e.url_name for e in entries_for("workbench", li_xiaoyu)]
