"""Registry import and export over the API, scoped exactly like the workbench, and a citizen's own data."""

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.throttling import UserRateThrottle

from chuangye.accounts.access import require_role
from chuangye.accounts.models import STAFF_ROLES, Role
from chuangye.registry.excel import XLSX_CONTENT_TYPE
from chuangye.registry.exports import people_export
from chuangye.registry.imports import access_import_job, import_upload
from chuangye.registry.models import ImportJob
from chuangye.registry.portability import my_data_download

router = Router(tags=["人员导入导出"])


class ExportThrottle(UserRateThrottle):
    scope = "people_export"  # its own counters, apart from any other per-user limit


class UploadThrottle(UserRateThrottle):
    scope = "people_import"


class ProblemOut(Schema):
    row: int | None
    column: str
    message: str


class ImportJobOut(Schema):
    id: int
    file_name: str
    state: str
    state_label: str
    rows_total: int
    rows_checked: int
    created_count: int
    unchanged_count: int
    differing_count: int
    key_groups_created: int
    problem_count: int
    problems: list[ProblemOut]
    warnings: list[ProblemOut]
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_state_label(obj: ImportJob) -> str:
        return obj.get_state_display()


@router.post(
    "/imports/people",
    response={201: ImportJobOut},
    summary="上传人员导入文件（.xlsx），校验并导入：任何一行有问题则整个文件不导入",
    throttle=[UploadThrottle("20/m")],
)
def import_people(request: HttpRequest, file: File[UploadedFile]) -> Status[ImportJob]:
    require_role(request.user, STAFF_ROLES)
    # Queued for a task worker (run at once with the immediate backend); GET /imports/{job_id} follows it.
    return Status(201, import_upload(actor=request.user, upload=file))


@router.get("/imports/{job_id}", response=ImportJobOut, summary="导入任务的进度与问题清单")
def get_import(request: HttpRequest, job_id: int) -> ImportJob:
    job = access_import_job(request.user, job_id)
    require_role(request.user, STAFF_ROLES)
    return job


@router.get(
    "/exports/people",
    summary="导出管辖范围内的人员（.xlsx，证件号和手机号脱敏，留痕）",
    response={200: None},
    throttle=[ExportThrottle("10/m")],
)
def export_people(request: HttpRequest, q: str = "", region_code: str = "", group: str = "") -> HttpResponse:
    require_role(request.user, STAFF_ROLES)
    export = people_export(actor=request.user, query=q, region_code=region_code, group=group, request=request)
    response = HttpResponse(export.content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(export.file_name)}"
    response["Cache-Control"] = "no-store"
    return response


@router.get("/me/data", response=dict[str, Any], summary="本人在平台保存的全部个人数据（仅限创业者本人）")
def my_data(request: HttpRequest) -> dict[str, Any]:
    require_role(request.user, {Role.CITIZEN})
    return my_data_download(user=request.user, request=request)
