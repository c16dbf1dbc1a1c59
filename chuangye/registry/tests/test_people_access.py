"""Masked display, the audited reveal, and lists without N+1 queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chuangye.accounts.testing import sign_in
from chuangye.core.models import AuditEvent
from chuangye.demo.people import synthetic_people
from chuangye.registry.models import Person

pytestmark = pytest.mark.django_db


def test_a_person_page_is_masked_and_a_reveal_is_audited(wang_fang, li_xiaoyu):
    client = sign_in(Client(), wang_fang)
    person = li_xiaoyu.person
    page = client.get(f"/workbench/people/{person.pk}/").content.decode()
    assert person.id_number not in page and person.id_number_masked in page
    assert "13800000001" not in page
    refused = client.post(f"/workbench/people/{person.pk}/reveal/", {"field": "id_number", "reason": ""})
    assert refused.status_code == 422 and "查看原因" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="person.reveal").exists()
    shown = client.post(f"/workbench/people/{person.pk}/reveal/", {"field": "id_number", "reason": "核对贷款申请"})
    assert person.id_number in shown.content.decode()
    event = AuditEvent.objects.get(action="person.reveal")
    assert (event.actor_id, event.object_id, event.region_code) == (wang_fang.pk, str(person.pk), "510104")
    assert event.details == {"field": "id_number", "reason": "核对贷款申请"}


def test_the_api_reveal_needs_staff_and_a_reason(wang_fang, li_xiaoyu):
    officer = sign_in(Client(), wang_fang)
    url = f"/api/v1/people/{li_xiaoyu.person.pk}/reveal"
    response = officer.post(url, {"field": "phone", "reason": "电话回访"}, content_type="application/json")
    assert response.json() == {"field": "phone", "value": "13800000001"}
    bad = officer.post(url, {"field": "password", "reason": "电话回访"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "field"
    citizen = sign_in(Client(), li_xiaoyu)
    response = citizen.post(url, {"field": "phone", "reason": "看看自己"}, content_type="application/json")
    assert response.status_code == 403


def test_raw_identifiers_never_appear_in_json(wang_fang, li_xiaoyu):
    body = sign_in(Client(), wang_fang).get("/api/v1/people").content.decode()
    assert li_xiaoyu.person.id_number not in body and "13800000001" not in body


def test_search_by_full_id_number_uses_the_blind_index(wang_fang, li_xiaoyu):
    client = sign_in(Client(), wang_fang)
    found = client.get("/api/v1/people", {"q": li_xiaoyu.person.id_number}).json()
    assert [p["id"] for p in found["items"]] == [li_xiaoyu.person.pk]
    assert client.get("/api/v1/people", {"q": "13800000001"}).json()["count"] == 1  # by phone, also blind


@pytest.mark.parametrize("url", ["/api/v1/people", "/workbench/people/"])
def test_lists_use_a_fixed_number_of_queries(wang_fang, url):
    client = sign_in(Client(), wang_fang)
    Person.objects.bulk_create(synthetic_people(5, residence_regions=["510104"], seed=1))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    Person.objects.bulk_create(synthetic_people(40, residence_regions=["510104"], seed=2))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_person_page_lists_their_cases_in_scope(wang_fang, li_xiaoyu):
    from chuangye.registration.actions import registration_establish_submit

    case = registration_establish_submit(
        applicant=li_xiaoyu,
        data={
            "kind": "individual",
            "name": "晓雨文创",
            "address": "春熙路1号",
            "region_code": "510104",
            "business_scope": "设计",
            "industry": "R",
        },
        founders=[{"name": li_xiaoyu.person.name, "id_number": li_xiaoyu.person.id_number}],
    )
    page = sign_in(Client(), wang_fang).get(f"/workbench/people/{li_xiaoyu.person.pk}/").content.decode()
    assert case.number in page and "市场主体设立登记" in page
