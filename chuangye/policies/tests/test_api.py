"""The calculator over the API: same answer as the command, the project's error shape for refusals."""

import pytest

pytestmark = pytest.mark.django_db


def post(client, code, body):
    return client.post(f"/api/v1/policies/{code}/decide", body, content_type="application/json")


def test_decide_returns_the_interface_shape(client, li_xiaoyu):
    response = post(client, "loan.individual", {"facts": li_xiaoyu, "on": "2024-06-15", "region": "510104"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"policy", "eligible", "amount", "criteria", "parameters"}
    assert body["policy"] == "loan.individual"
    assert body["eligible"] is True
    assert body["amount"] == "200000.00"
    assert set(body["criteria"][0]) == {"code", "label", "passed", "reason"}
    assert set(body["parameters"][0]) == {"name", "value", "source"}


def test_no_amount_is_null(client, li_xiaoyu):
    body = post(client, "subsidy.startup_once", {"facts": li_xiaoyu, "on": "2024-06-15"}).json()
    assert body["eligible"] is False
    assert body["amount"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"facts": {"birth_date": "2001-02-29"}, "on": "2024-06-15"}, "facts.birth_date"),
        ({"facts": {"requested_amount": "-1"}, "on": "2024-06-15"}, "facts.requested_amount"),
        ({"facts": {"shoe_size": 42}, "on": "2024-06-15"}, "facts.shoe_size"),
        ({"facts": {}, "on": "2024-02-30"}, "on"),
        ({"facts": {}}, "on"),
        ({"facts": {}, "on": "2024-06-15", "region": "999999"}, "region"),
        ({"facts": {}, "on": "2024-06-15", "extra": 1}, "extra"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, body, field):
    response = post(client, "loan.individual", body)
    assert response.status_code == 422
    payload = response.json()
    assert set(payload) == {"code", "message", "errors"}
    assert payload["errors"][0]["field"] == field
    assert payload["errors"][0]["message"].startswith("「")


def test_unknown_policy_is_404_with_the_error_shape(client):
    response = post(client, "loan.moon", {"facts": {}, "on": "2024-06-15"})
    assert response.status_code == 404
    payload = response.json()
    assert payload["code"] == "not_found"
    assert payload["errors"][0]["field"] == "policy"


def test_catalogue_listing(client):
    policies = client.get("/api/v1/policies").json()
    codes = [p["code"] for p in policies]
    assert codes[0] == "loan.individual" and len(codes) == 8
    individual = policies[0]
    assert individual["plan"] == 5
    assert "财金〔2023〕75号" in individual["legal_basis"]
    assert {"name": "birth_date", "label": "出生日期"} in individual["facts"]
    assert {"code": "adult", "label": "达到申请年龄下限"} in individual["criteria"]
