"""Importing registrants from Excel: every row checked, a Chinese report, all or nothing, never twice.

王芳 (锦江区 510104) imports lists of people living in her county; 陈刚 is the officer of neighbouring 武侯区.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from stdnum.cn import ric

from chuangye.accounts.testing import sign_in
from chuangye.core.errors import DomainError
from chuangye.core.ids import generate_resident_id
from chuangye.core.models import AuditEvent
from chuangye.jobs.models import Job
from chuangye.registry import excel
from chuangye.registry.imports import AlreadyImportedError, import_job_create, import_job_run
from chuangye.registry.models import ImportFile, ImportJob, KeyGroupEvent, KeyGroupStatus, Person

pytestmark = pytest.mark.django_db
HEADER = [c.label for c in excel.COLUMNS]


def id_number(seq: int, *, region: str = "510104", born: str = "1995-03-08", sex: str = "F") -> str:
    return generate_resident_id(region, dt.date.fromisoformat(born), sex, seq)  # type: ignore[arg-type]


def row(name: str, number: str, region: str = "510104", **cells: object) -> dict[str, object]:
    return {"姓名": name, "身份证号": number, "常住地代码": region, **cells}


def workbook(*rows: dict[str, object], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(label) for label in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = [
    row("孙悦", id_number(1), 手机号="13911110001", 学历="本科", 毕业院校="四川大学", 毕业日期="2024-06-30",
        重点群体="高校毕业生", 群体有效期自="2024-07-01"),
    row("钱进", id_number(2, sex="M"), 就业状态="失业", 重点群体="51_long_unemployed、退役军人",
        群体有效期自=dt.datetime(2025, 3, 1)),  # noqa: DTZ001 - Excel dates have no time zone
    row("周雯", id_number(3), 户籍地代码="511623"),
]  # fmt: skip


def run(actor, data: bytes, name: str = "名单.xlsx") -> ImportJob:
    return import_job_run(import_job_create(actor=actor, file_name=name, data=data).pk)


def problems(job: ImportJob) -> list[tuple[int | None, str, str]]:
    return [(p["row"], p["column"], p["message"]) for p in job.problems]


def test_the_template_has_the_chinese_header_and_explains_allowed_values(wang_fang):
    response = sign_in(Client(), wang_fang).get("/workbench/people/import/template.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    book = load_workbook(io.BytesIO(response.content))
    people, notes = book.worksheets
    assert [c.value for c in people[1]] == HEADER == [
        "姓名", "身份证号", "手机号", "户籍地代码", "常住地代码", "学历", "毕业院校", "毕业日期", "就业状态",
        "重点群体", "群体有效期自", "群体有效期至",
    ]  # fmt: skip
    explained = {str(c.value) for line in notes.iter_rows() for c in line if c.value}
    assert {
        "本科",
        "灵活就业",
        "高校毕业生",
        "graduate",
        "51_4050",
        "“4050”人员（女满40周岁、男满50周岁）",
    } <= explained


def test_a_clean_file_is_imported_with_its_key_groups_and_one_audit_event(wang_fang):
    job = run(wang_fang, workbook(*GOOD))
    assert job.state == ImportJob.State.DONE, job.problems
    assert (job.rows_total, job.rows_checked, job.created_count, job.key_groups_created) == (3, 3, 3, 3)
    sun = Person.objects.get(name="孙悦")
    assert (sun.id_number, sun.phone, sun.school, sun.education) == (
        id_number(1),
        "13911110001",
        "四川大学",
        "bachelor",
    )
    assert (sun.sex, sun.birth_date, sun.name_initials) == ("F", dt.date(1995, 3, 8), "sy")
    assert Person.objects.get(name="周雯").hukou_region_code == "511623"
    status = KeyGroupStatus.objects.get(person=sun)
    assert (status.state, status.decided_by, status.declared_by) == ("certified", wang_fang, wang_fang)
    assert (status.valid_from, status.valid_to) == (dt.date(2024, 7, 1), None)
    qian = KeyGroupStatus.objects.get(person__name="钱进", category__code="51_long_unemployed")
    assert qian.valid_to == dt.date(2026, 2, 28)  # the category's default 12 months
    assert KeyGroupEvent.objects.filter(status__person__name="钱进", to_state="certified").count() == 2
    event = AuditEvent.objects.get(action="person.import")
    assert (event.actor_id, event.object_id, event.outcome) == (wang_fang.pk, str(job.pk), "success")
    assert event.details["created"] == 3 and event.details["key_groups"] == 3
    assert not ImportFile.objects.exists()  # the uploaded file (ID numbers in clear) is gone once the run ends


def test_the_same_file_twice_is_refused_and_the_same_rows_again_create_nothing(wang_fang):
    data = workbook(*GOOD)
    run(wang_fang, data)
    with pytest.raises(AlreadyImportedError, match=r"该文件已于.*导入"):
        import_job_create(actor=wang_fang, file_name="名单（重新上传）.xlsx", data=data)
    # The same people in a new file (one more blank row makes it another file): recognised, nothing added.
    again = run(wang_fang, workbook(*GOOD, {}, row("孙悦", id_number(1))))
    assert again.state == ImportJob.State.FAILED  # 孙悦 twice in one file
    again = run(wang_fang, workbook(*GOOD, {"毕业院校": ""}))
    assert again.state == ImportJob.State.DONE, again.problems
    assert (again.created_count, again.unchanged_count, again.key_groups_created) == (0, 3, 0)
    assert Person.objects.count() == 3 and KeyGroupStatus.objects.count() == 3


def test_one_bad_row_keeps_the_whole_file_out(wang_fang):
    bad = row("吴磊", id_number(4)[:-1] + ("0" if id_number(4)[-1] != "0" else "1"))
    job = run(wang_fang, workbook(*GOOD, bad))
    assert job.state == ImportJob.State.FAILED and job.problem_count == 1
    assert problems(job) == [(5, "身份证号", "「身份证号」校验位不正确，请核对号码")]
    assert not Person.objects.exists() and not KeyGroupStatus.objects.exists()
    assert AuditEvent.objects.get(action="person.import").outcome == "failure"


def _impossible_date_id() -> str:
    body = "510104" + "19900230" + "123"
    return body + ric.calc_check_digit(body + "0")


def test_every_problem_of_every_row_is_reported_with_its_row_and_column(wang_fang):
    twin = id_number(9)
    job = run(
        wang_fang,
        workbook(
            row("郑好", _impossible_date_id()),
            row("冯一", twin),
            row("冯二", twin),
            row("何方", id_number(10), region="510199", 手机号="1234"),
            row("陈远", id_number(11), region="510107"),
            row("=cmd|' /C calc'!A0", id_number(12), 毕业日期="2024-02-30"),
            row("林木", 510104199503081234.0),
            row("唐宁", id_number(13), 重点群体="高校毕业生"),
            row("宋玉", id_number(14), 重点群体="外星人", 群体有效期自="2025-01-01"),
            row("韩梅", id_number(15), 学历="幼儿园", 群体有效期自="2025-01-01"),
        ),
    )
    assert job.state == ImportJob.State.FAILED
    assert problems(job) == [
        (2, "身份证号", "「身份证号」中的出生日期不存在"),
        (3, "身份证号", "「身份证号」与第 4 行重复，同一人在一个文件中只能出现一次"),
        (4, "身份证号", "「身份证号」与第 3 行重复，同一人在一个文件中只能出现一次"),
        (5, "常住地代码", "「常住地」510199 不是现行的行政区划代码"),
        (5, "手机号", "「手机号」应为11位中国大陆手机号，例如 13812345678"),
        (6, "常住地代码", "「常住地代码」510107 不在您的管辖范围内"),
        (7, "姓名", "「姓名」不能是公式，请复制后“粘贴为数值”"),  # openpyxl writes "=..." as a formula
        (7, "毕业日期", "「毕业日期」应为日期，格式 YYYY-MM-DD"),
        (8, "身份证号", "「身份证号」被保存成了数字，末几位已丢失；请把该列设为文本格式后重新填写"),
        (9, "群体有效期自", "「群体有效期自」填写重点群体时必填"),
        (10, "重点群体", "「重点群体」“外星人”不是有效的类别，见模板“填写说明”"),
        (11, "学历", "「学历」应为以下之一：初中及以下、高中/中专/技校、大专、本科、硕士研究生、博士研究生"),
        (11, "重点群体", "「重点群体」未填写，却填写了群体有效期"),
    ]
    assert not Person.objects.exists()


def test_formulas_in_cells_are_refused(wang_fang):
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["孙悦", id_number(1), None, None, '=TEXT(510104,"0")'])
    buffer = io.BytesIO()
    book.save(buffer)
    job = run(wang_fang, buffer.getvalue())
    assert problems(job) == [(2, "常住地代码", "「常住地代码」不能是公式，请复制后“粘贴为数值”")]


def test_a_registered_person_is_kept_as_is_and_differences_are_reported(wang_fang, li_xiaoyu):
    li = li_xiaoyu.person
    data = workbook(
        row("李晓雨", li.id_number, 手机号="13999999999", 就业状态="失业", 重点群体="高校毕业生",
            群体有效期自="2024-07-01"),
        row("孙悦", id_number(1)),
    )  # fmt: skip
    job = run(wang_fang, data)
    assert job.state == ImportJob.State.DONE, job.problems
    assert (job.created_count, job.unchanged_count, job.differing_count, job.key_groups_created) == (1, 0, 1, 1)
    assert job.warnings == [
        {
            "row": 2,
            "column": "",
            "message": "已登记，就业状态、手机号与系统记录不一致；保留系统记录，如需变更请单独办理",
        }
    ]
    li.refresh_from_db()
    assert (li.phone, li.employment) == ("13800000001", "unknown")
    assert li.key_groups.get().category.code == "graduate"


def test_a_person_registered_in_another_county_cannot_be_imported_here(chen_gang, li_xiaoyu):
    job = run(chen_gang, workbook(row("李晓雨", li_xiaoyu.person.id_number, region="510107")))
    assert problems(job) == [(2, "身份证号", "「身份证号」该人员已在其他辖区登记，请联系其常住地经办机构办理")]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "是空文件"),
        (b"<html><body>" + b"x" * 100 + b"</body></html>", "不是 Excel（.xlsx）文件"),
        ("姓名,身份证号\n孙悦,510104".encode(), "不是 Excel（.xlsx）文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Excel（.xls）"),
        (b"PK\x03\x04" + b"\x00" * 100, "无法作为 Excel 工作簿打开"),
        (b"PK\x03\x04" + b"\x00" * (excel.MAX_UPLOAD_BYTES + 1), "不能超过 5 MB"),
    ],
)
def test_what_is_not_a_workbook_is_refused_with_a_clear_message(wang_fang, content, problem):
    with pytest.raises(DomainError, match=problem) as refused:
        import_job_create(actor=wang_fang, file_name="名单.xlsx", data=content)
    assert refused.value.errors[0].field == "file"
    assert not ImportJob.objects.exists()


def test_a_workbook_without_the_template_header_or_with_too_many_rows_is_refused(wang_fang, monkeypatch):
    with pytest.raises(DomainError, match="第1行缺少列：身份证号、常住地代码"):
        import_job_create(actor=wang_fang, file_name="x.xlsx", data=workbook(header=["姓名", "电话"]))
    monkeypatch.setattr(excel, "MAX_ROWS", 2)
    job = run(wang_fang, workbook(*GOOD))
    assert problems(job) == [(None, "", "「导入文件」数据超过 2 行，请拆分后分批导入")]
    assert not Person.objects.exists()


def test_a_run_is_idempotent_and_the_stored_file_is_encrypted(wang_fang):
    job = import_job_create(actor=wang_fang, file_name="名单.xlsx", data=workbook(*GOOD))
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM registry_importfile")
        (raw,) = cursor.fetchone()
    assert raw.startswith("v1$") and "UEsDB" not in raw  # AES-GCM, not the base64 of a zip
    assert import_job_run(job.pk).state == ImportJob.State.DONE
    assert import_job_run(job.pk).state == ImportJob.State.DONE
    assert Person.objects.count() == 3 and AuditEvent.objects.filter(action="person.import").count() == 1


def test_two_uploads_of_one_file_racing_each_other_land_once(wang_fang, db):
    from chuangye.accounts.testing import make_user

    liu_min = make_user("liumin", "supervisor", region_code="510104", real_name="刘敏")
    data = workbook(*GOOD)
    first = import_job_create(actor=wang_fang, file_name="名单.xlsx", data=data)
    second = import_job_create(actor=liu_min, file_name="名单.xlsx", data=data)
    assert import_job_run(first.pk).state == ImportJob.State.DONE
    late = import_job_run(second.pk)
    assert late.state == ImportJob.State.FAILED and "同一文件被同时导入" in late.problems[0]["message"]
    assert Person.objects.count() == 3


def test_the_workbench_import_runs_as_a_job_with_a_polled_progress_fragment(wang_fang, chen_gang):
    client = sign_in(Client(), wang_fang)
    upload = SimpleUploadedFile("名单.xlsx", workbook(*GOOD))
    response = client.post("/workbench/people/import/", {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workbench/people/import/job/?job={job.pk}"
    # The upload queued a background job; the tests' immediate task backend ran it at once.
    background = Job.objects.get(kind="registry.import")
    assert background.state == "done" and background.params == {"import_job_id": job.pk}
    page = client.get(response["Location"]).content.decode()
    assert "新增人员 3 人" in page and "every 1s" not in page  # finished: no polling
    # A job no worker has taken yet: the page starts it and polls its progress fragment.
    waiting = import_job_create(actor=wang_fang, file_name="名单2.xlsx", data=workbook(*GOOD[:1]))
    page = client.get(f"/workbench/people/import/job/?job={waiting.pk}").content.decode()
    assert 'hx-trigger="load"' in page and 'hx-trigger="every 1s"' in page
    fragment = client.post(f"/workbench/people/import/job/progress/?job={waiting.pk}").content.decode()
    assert "every 1s" not in fragment  # finished: polling stops
    assert "名单.xlsx" in client.get("/workbench/people/import/").content.decode()
    neighbour = sign_in(Client(), chen_gang)
    assert neighbour.get(f"/workbench/people/import/job/?job={job.pk}").status_code == 404
    assert neighbour.post(f"/workbench/people/import/job/progress/?job={job.pk}").status_code == 404
    assert "名单.xlsx" not in neighbour.get("/workbench/people/import/").content.decode()


def test_the_workbench_shows_the_report_of_a_failed_import_and_refusals_without_errors(wang_fang):
    client = sign_in(Client(), wang_fang)
    client.post("/workbench/people/import/", {"file": SimpleUploadedFile("名单.xlsx", workbook(row("孙", "1")))})
    job = ImportJob.objects.get()
    client.post(f"/workbench/people/import/job/progress/?job={job.pk}")
    page = client.get(f"/workbench/people/import/job/?job={job.pk}").content.decode()
    assert "<th>行</th><th>列</th><th>问题</th>" in page and "「姓名」应为2至30个字" in page
    fake = SimpleUploadedFile("名单.xlsx", b"<html>not a workbook</html>", content_type=excel.XLSX_CONTENT_TYPE)
    refused = client.post("/workbench/people/import/", {"file": fake})
    assert refused.status_code == 422 and "不是 Excel（.xlsx）文件" in refused.content.decode()
    good = workbook(*GOOD)
    client.post("/workbench/people/import/", {"file": SimpleUploadedFile("a.xlsx", good)})
    client.post(f"/workbench/people/import/job/progress/?job={ImportJob.objects.latest('pk').pk}")
    twice = client.post("/workbench/people/import/", {"file": SimpleUploadedFile("b.xlsx", good)})
    assert twice.status_code == 409 and "本次未重复导入" in twice.content.decode()


def test_citizens_and_banks_cannot_import(li_xiaoyu, huang_lei):
    for user in (li_xiaoyu, huang_lei):
        with pytest.raises(DomainError):
            import_job_create(actor=user, file_name="名单.xlsx", data=workbook(*GOOD))
        assert sign_in(Client(), user).get("/workbench/people/import/").status_code == 403


def test_a_run_that_died_is_taken_over_but_a_live_one_is_left_alone(wang_fang):
    job = import_job_create(actor=wang_fang, file_name="名单.xlsx", data=workbook(*GOOD))
    recently = timezone.now() - dt.timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.VALIDATING, progress_at=recently)
    assert import_job_run(job.pk).state == ImportJob.State.VALIDATING  # someone is working on it
    assert ImportFile.objects.filter(job=job).exists()
    long_ago = timezone.now() - dt.timedelta(minutes=11)
    ImportJob.objects.filter(pk=job.pk).update(progress_at=long_ago)  # its worker was killed
    assert import_job_run(job.pk).state == ImportJob.State.DONE
    assert Person.objects.count() == 3
