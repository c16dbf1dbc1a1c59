import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "创业服务平台 API"
    assert "/api/v1/regions" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_regions_by_parent(client):
    response = client.get("/api/v1/regions", {"parent": "510100"})
    codes = [r["code"] for r in response.json()]
    assert "510104" in codes and "510107" in codes
    assert "锦江区" in response.content.decode()  # UTF-8, not \\u escapes
    assert len(client.get("/api/v1/regions").json()) == 34


def test_workdays_over_the_api(client):
    body = client.get("/api/v1/workdays/add", {"start": "2026-09-30", "days": 3}).json()
    assert body == {"start": "2026-09-30", "days": 3, "date": "2026-10-10", "provisional": False}


@pytest.mark.parametrize(
    ("url", "params", "status", "field", "message"),
    [
        (
            "/api/v1/workdays/add",
            {"start": "2026-02-30", "days": 1},
            422,
            "start",
            "「起始日期」应为日期，格式 YYYY-MM-DD",
        ),
        ("/api/v1/workdays/add", {"start": "2026-09-30", "days": "x"}, 422, "days", "「工作日数」应为整数"),
        ("/api/v1/workdays/add", {"start": "2026-09-30"}, 422, "days", "「工作日数」必填"),
        (
            "/api/v1/workdays/add",
            {"start": "2026-09-30", "days": 999},
            422,
            "days",
            "「工作日数」应在 0 到 366 之间",
        ),
        (
            "/api/v1/regions",
            {"parent": "510102"},
            422,
            "parent",
            "「上级行政区划」510102 不是现行的行政区划代码",
        ),
    ],
)
def test_every_refusal_has_the_one_error_shape(client, url, params, status, field, message):
    response = client.get(url, params)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"code", "message", "errors"}
    assert body["errors"][0]["field"] == field
    assert body["errors"][0]["message"] == message


def test_not_found_has_the_error_shape(client):
    response = client.get("/api/v1/regions/999999")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "行政区划不存在", "errors": []}
