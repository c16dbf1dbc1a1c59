"""A citizen downloads everything held about them (PIPL arts. 44–45), and nobody else's."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.core.ids import build_credit_code, encode_org_body
from chuangye.core.models import AuditEvent
from chuangye.registry.actions import (
    change_request_submit,
    key_group_decide,
    key_group_declare,
    person_reveal_field,
)
from chuangye.registry.models import Business, Founder

pytestmark = pytest.mark.django_db
URL = "/me/data.json"


def _evidence():
    return SimpleUploadedFile("毕业证.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")


@pytest.fixture
def li_with_history(li_xiaoyu, wang_fang):
    """李晓雨 declared herself a graduate, 王芳 certified it and later looked up her phone number to call her back;
    she asked to correct her name and runs a small tea shop."""
    person = li_xiaoyu.person
    status = key_group_declare(actor=li_xiaoyu, person=person, category_code="graduate", evidence=[_evidence()])
    key_group_decide(actor=wang_fang, status=status, certify=True, note="学信网核验通过")
    person_reveal_field(actor=wang_fang, person=person, field="phone", reason="电话回访核实材料", request=None)
    change_request_submit(actor=li_xiaoyu, person=person, changes={"name": "李晓宇"}, reason="身份证姓名用字更正")
    shop = Business.objects.create(
        credit_code=build_credit_code("9", "2", "510104", encode_org_body(1, prefix="PT")),
        name="锦江区晓雨茶饮店",
        kind="individual",
        legal_representative=person,
        registered_on=dt.date(2025, 4, 1),
        region_code="510104",
        industry="H",
    )
    Founder.objects.create(business=shop, person=person, role="operator")
    return li_xiaoyu


def test_a_citizen_downloads_everything_held_about_her(li_with_history, zhao_jianguo):
    response = sign_in(Client(), li_with_history).get(URL)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    person = li_with_history.person
    assert data["人员信息"]["身份证号"] == person.id_number  # her own data, unmasked
    assert data["人员信息"]["手机号"] == "13800000001" and data["账户"]["用户名"] == "li"
    (status,) = data["重点群体身份"]
    assert (status["类别"], status["状态"], status["认定人"]) == ("高校毕业生", "已认定", "王芳")
    assert [(e["从"], e["到"]) for e in status["历史"]] == [("", "pending"), ("pending", "certified")]
    assert data["信息变更申请"][0]["申请变更"] == {"name": ["李晓雨", "李晓宇"]}
    assert data["市场主体"][0]["名称"] == "锦江区晓雨茶饮店" and data["市场主体"][0]["本人角色"] == ["经营者"]
    assert data["附件"][0]["文件名"] == "毕业证.pdf"
    reveal = next(e for e in data["访问和处理记录"] if e["操作"] == "查看完整证件号或手机号")
    assert (reveal["操作人"], reveal["操作人角色"], reveal["查看的信息"], reveal["原因"]) == (
        "王芳",
        "经办人员",
        "手机号",
        "电话回访核实材料",
    )
    body = response.content.decode()
    assert "赵建国" not in body and zhao_jianguo.person.id_number not in body and "13800000002" not in body


def test_the_download_is_audited_and_only_for_citizens(li_with_history, wang_fang):
    sign_in(Client(), li_with_history).get(URL)
    event = AuditEvent.objects.get(action="person.data_export")
    assert (event.actor_id, event.object_id) == (li_with_history.pk, str(li_with_history.person.pk))
    assert sign_in(Client(), wang_fang).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302


def test_the_api_gives_the_same_data_to_the_citizen_only(li_with_history, zhao_jianguo, wang_fang):
    mine = sign_in(Client(), zhao_jianguo).get("/api/v1/me/data").json()
    assert mine["人员信息"]["姓名"] == "赵建国" and mine["重点群体身份"] == [] and mine["市场主体"] == []
    assert li_with_history.person.id_number not in json.dumps(mine, ensure_ascii=False)
    refused = sign_in(Client(), wang_fang).get("/api/v1/me/data")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
