"""Found by the API fuzzing pass (ADR 0017): loan routes refuse bad ids in the API's shape, and the OpenAPI
document describes the loan applications the endpoint really returns."""

import pytest
from django.test import Client

from chuangye.accounts.testing import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/loans/abc"),
        ("get", "/api/v1/loans/abc/schedule"),
        ("post", "/api/v1/loan-applications/abc/transitions"),
    ],
)
def test_a_non_numeric_id_is_the_api_404_not_an_html_page(wang_fang, method, path):
    # `{int:...}` stays in these paths: it keeps /loans/disbursements from matching /loans/{loan_id}.
    client = sign_in(Client(), wang_fang)
    response = client.generic(method.upper(), path, data="{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "记录不存在或无权访问", "errors": []}


def test_the_document_describes_loan_applications_not_incubator_applications():
    document = Client().get("/api/v1/openapi.json").json()
    ok = document["paths"]["/api/v1/loan-applications"]["get"]["responses"]["200"]
    page = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    ref = document["components"]["schemas"][page]["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[1]
    required = document["components"]["schemas"][ref]["required"]
    assert {"borrower", "requested_amount", "eligible_amount"} <= set(required)
    assert "carrier_id" not in required
