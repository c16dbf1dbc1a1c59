"""The API's shared refusals, as the fuzzing pass checks them (ADR 0017): documented, one shape, Chinese."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_unparseable_body_is_refused_in_chinese():
    response = Client().post("/api/v1/policies/x/decide", data=b"\x00", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_request" and "请求无法解析" in body["message"]


def test_every_operation_documents_the_error_shape():
    document = Client().get("/api/v1/openapi.json").json()
    assert set(document["components"]["schemas"]["ErrorOut"]["required"]) == {"code", "message", "errors"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"400", "403", "404", "409", "422", "429"} <= documented, (method, path)
            assert ("401" in documented) == bool(operation.get("security")), (method, path)
