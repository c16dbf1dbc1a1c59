"""Import over the API: the same rules and scope as the workbench, errors in the one JSON shape."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.registry.models import ImportJob, Person
from chuangye.registry.tests.test_import import GOOD, row, workbook

pytestmark = pytest.mark.django_db
URL = "/api/v1/imports/people"


def upload(client: Client, data: bytes, name: str = "名单.xlsx"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def test_an_officer_imports_over_the_api_and_reads_the_job(wang_fang, chen_gang, yang_fan):
    client = sign_in(Client(), wang_fang)
    data = workbook(*GOOD)
    response = upload(client, data)
    assert response.status_code == 201, response.content
    job = response.json()
    assert (job["state"], job["state_label"], job["created_count"], job["key_groups_created"]) == (
        "done",
        "已导入",
        3,
        3,
    )
    assert client.get(f"/api/v1/imports/{job['id']}").json()["rows_total"] == 3
    assert sign_in(Client(), yang_fan).get(f"/api/v1/imports/{job['id']}").status_code == 200  # her city
    hidden = sign_in(Client(), chen_gang).get(f"/api/v1/imports/{job['id']}")
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    again = upload(client, data)
    assert again.status_code == 409 and again.json()["code"] == "already_imported"
    assert Person.objects.count() == 3


def test_a_file_with_problems_is_reported_row_by_row(wang_fang):
    job = upload(sign_in(Client(), wang_fang), workbook(row("孙悦", "510104"))).json()
    assert job["state"] == "failed" and job["problems"] == [
        {"row": 2, "column": "身份证号", "message": "「身份证号」应为18位（或15位旧号码）"}
    ]
    assert not Person.objects.exists()


def test_an_upload_that_is_not_a_workbook_gets_the_json_error_shape(wang_fang):
    response = upload(sign_in(Client(), wang_fang), b"<script>alert(1)</script>", name="名单.xlsx")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_field" and body["errors"][0]["field"] == "file"
    assert "不是 Excel（.xlsx）文件" in body["message"]
    assert not ImportJob.objects.exists()


def test_citizens_and_banks_cannot_import_over_the_api(li_xiaoyu, huang_lei):
    for user in (li_xiaoyu, huang_lei):
        response = upload(sign_in(Client(), user), workbook(*GOOD))
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert Client().post(URL).status_code == 401
