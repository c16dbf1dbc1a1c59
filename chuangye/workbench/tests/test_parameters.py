"""Regional parameters and what-if, for a supervisor: values with sources, audited overrides, and the effect of a
change computed without saving."""

import pytest
from django.test import Client

from chuangye.accounts.testing import make_user, sign_in
from chuangye.core.models import AuditEvent
from chuangye.policies.models import ParameterOverride
from chuangye.registry.actions import key_group_decide, key_group_declare

pytestmark = pytest.mark.django_db


@pytest.fixture
def liu_min(db):
    return make_user("liumin", "supervisor", region_code="510104", real_name="刘敏")


def test_a_supervisor_sets_a_regional_figure_with_a_document_number(liu_min):
    client = sign_in(Client(), liu_min)
    page = client.get("/workbench/parameters/").content.decode()
    assert "300,000" in page or "300000" in page  # the national individual ceiling and its source
    assert "本地区尚未设定" in page  # the one-off start-up subsidy has no national figure
    response = client.post(
        "/workbench/parameters/",
        {
            "name": "subsidy.startup_once.amount",
            "value": "10000",
            "effective_from": "2026-01-01",
            "document_number": "锦人社发〔2026〕3号",
        },
    )
    assert response.status_code == 302
    override = ParameterOverride.objects.get()
    assert (override.region_code, override.document_number) == ("510104", "锦人社发〔2026〕3号")
    assert AuditEvent.objects.filter(actor_id=liu_min.pk, action="policies.parameter_override_created").exists()
    assert "锦人社发〔2026〕3号" in client.get("/workbench/parameters/").content.decode()


def test_no_override_outside_the_supervisors_region_or_without_a_document(liu_min):
    client = sign_in(Client(), liu_min)
    data = {
        "name": "subsidy.startup_once.amount",
        "value": "10000",
        "effective_from": "2026-01-01",
        "document_number": "某文号",
        "region_code": "510107",
    }
    assert client.post("/workbench/parameters/", data).status_code == 403
    missing = client.post("/workbench/parameters/", {**data, "region_code": "", "document_number": ""})
    assert missing.status_code == 422 and "「文号」必填" in missing.content.decode()
    assert not ParameterOverride.objects.exists()


def test_what_if_a_higher_waiver_threshold_counts_who_gains(liu_min, li_xiaoyu, zhao_jianguo, wang_fang):
    for citizen, category in ((li_xiaoyu, "graduate"), (zhao_jianguo, "returning_migrant")):
        status = key_group_declare(actor=wang_fang, person=citizen.person, category_code=category)
        key_group_decide(actor=liu_min, status=status, certify=True, valid_from="2025-01-01")
    client = sign_in(Client(), liu_min)
    page = client.get(
        "/workbench/parameters/what-if/",
        {
            "policy": "loan.counter_guarantee_waiver",
            "name": "loan.counter_guarantee_waiver.max_amount",
            "value": "300000",
        },
    ).content.decode()
    # Without a requested amount each asks for the 300,000 ceiling: above 100,000, no waiver; at 300,000 both gain.
    assert "新增符合条件 <strong>2</strong> 人" in page
    assert "whatif-data" in page and "/static/vendor/echarts/echarts.min.js" in page
    assert not ParameterOverride.objects.exists()  # nothing saved


def test_officers_cannot_change_parameters(wang_fang):
    assert sign_in(Client(), wang_fang).get("/workbench/parameters/").status_code == 403


def test_a_supervisor_switches_on_grant_without_application_for_the_county(liu_min):
    client = sign_in(Client(), liu_min)
    flag = "subsidy.startup_once.grant_without_application"
    page = client.get("/workbench/parameters/").content.decode()
    assert "免申即享" in page and "<td>否 </td>" in page
    refused = client.post(
        "/workbench/parameters/",
        {"name": flag, "value": "大概", "effective_from": "2026-01-01", "document_number": "锦人社发〔2026〕5号"},
    )
    assert refused.status_code == 422 and "“是”或“否”" in refused.content.decode()
    client.post(
        "/workbench/parameters/",
        {"name": flag, "value": "是", "effective_from": "2026-01-01", "document_number": "锦人社发〔2026〕5号"},
    )
    assert ParameterOverride.objects.filter(name=flag, document_number="锦人社发〔2026〕5号").count() == 1
    assert "<td>是 </td>" in client.get("/workbench/parameters/").content.decode()
