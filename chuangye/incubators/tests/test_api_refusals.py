"""Found by the API fuzzing pass (ADR 0017): bad filters and ids are refused in Chinese, never a 500 or an HTML
page."""

import pytest
from django.test import Client

from chuangye.accounts.testing import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/incubators/carriers", "/api/v1/incubators/board"])
@pytest.mark.parametrize("region", ["9\\", "51010x", "5101"])
def test_a_malformed_region_filter_is_a_field_error(path, region):
    response = Client().get(path, {"region": region})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [{"field": "region", "message": "「地区」应为6位行政区划代码"}]


@pytest.mark.parametrize("path", ["/api/v1/incubators/carriers", "/api/v1/incubators/board"])
def test_a_six_digit_region_filters(path):
    assert Client().get(path, {"region": "510104"}).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/incubators/equipment/abc/bookings"),
        ("post", "/api/v1/incubators/equipment/abc/bookings"),
        ("post", "/api/v1/incubators/bookings/abc/cancel"),
    ],
)
def test_a_non_numeric_id_is_a_chinese_field_error_not_an_html_page(li_xiaoyu, method, path):
    client = sign_in(Client(), li_xiaoyu)
    response = client.generic(method.upper(), path, data="{}", content_type="application/json")
    assert response.status_code == 422
    assert any(e["field"].endswith("_id") and "应为整数" in e["message"] for e in response.json()["errors"])
