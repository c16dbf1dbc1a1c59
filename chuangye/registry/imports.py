"""Importing registrants from Excel as a stored job: upload (``import_job_create``), then ``import_job_run``, which
checks every row and writes the whole file in one transaction or nothing at all.

A person already registered is never created twice (the ID number's blind index is unique). When the file's data
for such a person differs from the record, the record is kept and the row is reported as a warning, not an error:
the name and residence change only through a change request with a second pair of eyes, and education and
employment are the citizen's own to keep current, so a list compiled elsewhere must not overwrite them, while the
rest of the file (often hundreds of new people) should not be held up by one stale phone number. Key groups on such
a row are still recorded for the existing person, who is in the clerk's jurisdiction.
"""

import base64
import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from chuangye.accounts.access import region_filter
from chuangye.accounts.models import STAFF_ROLES
from chuangye.core.audit import record_event
from chuangye.core.errors import DomainError
from chuangye.core.models import AuditEvent
from chuangye.core.pii import blind_index
from chuangye.core.regions import in_scope
from chuangye.registry.excel import LABELS, MAX_UPLOAD_BYTES, check_upload, read_rows, refuse_file
from chuangye.registry.import_rows import CheckedRow, Problem, RowChecker, duplicate_problems
from chuangye.registry.import_write import write_rows
from chuangye.registry.models import ImportFile, ImportJob, Person

logger = logging.getLogger(__name__)
BATCH = 500
MAX_STORED_PROBLEMS = 1000
STALE_AFTER = dt.timedelta(minutes=10)
COMPARED = ("name", "hukou_region_code", "region_code", "education", "school", "graduation_date", "employment")


class AlreadyImportedError(DomainError):
    def __init__(self, job: ImportJob) -> None:
        when = timezone.localtime(job.finished_at or job.created_at).strftime("%Y-%m-%d %H:%M")
        super().__init__(
            message=f"该文件已于 {when} 导入（任务 {job.pk}，新增 {job.created_count} 人），本次未重复导入",
            code="already_imported",
            status=409,
        )
        self.job = job


def import_jobs_for(user: Any) -> QuerySet[ImportJob]:
    """Jobs a user may see: staff see those uploaded within their jurisdiction (the same prefix rule as people)."""
    scope = region_filter(user)
    if scope is None:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(scope)


def access_import_job(user: Any, job_id: object) -> ImportJob:
    """The job if ``user`` may see it; otherwise the same 404 as for a job that does not exist."""
    try:
        return import_jobs_for(user).select_related("created_by").get(pk=int(str(job_id)))
    except (ImportJob.DoesNotExist, ValueError):
        raise Http404("记录不存在或无权访问") from None


def import_job_create(*, actor: Any, file_name: str, data: bytes) -> ImportJob:
    """Accept an upload for import: check it is a real workbook, refuse a file already imported here, store it
    (encrypted) with a queued job. Uploading the same file again while it is still queued returns that job."""
    if getattr(actor, "role", None) not in STAFF_ROLES:
        raise DomainError("只有经办人员可以导入人员", code="forbidden", status=403)
    check_upload(data)
    digest = hashlib.sha256(data).hexdigest()
    mine = import_jobs_for(actor).filter(sha256=digest)
    done = mine.filter(state=ImportJob.State.DONE).first()
    if done is not None:
        raise AlreadyImportedError(done)
    waiting = mine.filter(created_by=actor, state__in=[ImportJob.State.QUEUED, ImportJob.State.VALIDATING]).first()
    if waiting is not None:
        return waiting
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=actor,
            region_code=actor.region_code,
            file_name=(file_name or "导入文件.xlsx")[-200:],
            sha256=digest,
        )
        ImportFile.objects.create(job=job, content=base64.b64encode(data).decode("ascii"))
    return job


@dataclass
class _Run:
    """This run's hold on a job: the ``progress_at`` it last wrote. A run that was presumed dead and replaced finds
    the value changed and can no longer write progress, finish or fail the job."""

    job: ImportJob
    token: dt.datetime

    def _mine(self) -> QuerySet[ImportJob]:
        return ImportJob.objects.filter(pk=self.job.pk, state=ImportJob.State.VALIDATING, progress_at=self.token)

    def update(self, **fields: Any) -> bool:
        now = timezone.now()
        if self._mine().update(progress_at=now, **fields) != 1:
            return False
        self.token = now
        return True


def _claim(job_id: int) -> _Run | None:
    """Take the job for this run; exactly one caller wins. A run that stopped reporting progress long ago died
    (a killed worker) and its job may be taken again: nothing it did was committed."""
    now = timezone.now()
    queued = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED)
    stale = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.VALIDATING, progress_at__lt=now - STALE_AFTER)
    if (queued | stale).update(state=ImportJob.State.VALIDATING, progress_at=now, rows_checked=0) != 1:
        return None
    return _Run(ImportJob.objects.select_related("created_by").get(pk=job_id), now)


def import_job_run(job_id: int) -> ImportJob:
    """Run a queued import to its end (done or failed). Safe to call twice or from two workers at once: only one
    claims the job, and a finished job is returned as it is."""
    run = _claim(job_id)
    if run is None:
        return ImportJob.objects.get(pk=job_id)
    try:
        _execute(run)
    except DomainError as error:
        _fail(run, [Problem(None, "", error.message)])
    except IntegrityError:
        # Someone registered one of these people, or finished importing the same file, while we were checking.
        _fail(run, [Problem(None, "", "导入期间数据已被他人修改（如同一文件被同时导入），未导入任何数据，请重新上传")])
    except Exception:
        logger.exception("import job %s failed", job_id)
        _fail(run, [Problem(None, "", "处理时发生意外错误，未导入任何数据；请稍后重试或联系系统管理员")])
    job = ImportJob.objects.get(pk=job_id)
    if job.is_finished:
        ImportFile.objects.filter(job_id=job_id).delete()  # it holds ID numbers: kept no longer than needed
    return job


@dataclass
class _Checked:
    rows: list[CheckedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    existing: dict[str, Person] = field(default_factory=dict)  # blind index → the registered person


class _Displaced(DomainError):
    def __init__(self) -> None:
        super().__init__("该任务已被另一次处理接手，本次未导入任何数据")


def _execute(run: _Run) -> None:
    actor = run.job.created_by
    if actor is None or not actor.is_active or actor.role not in STAFF_ROLES:
        raise DomainError("导入人已不再具有经办权限，未导入任何数据")
    upload = ImportFile.objects.filter(job=run.job).first()
    if upload is None:
        raise DomainError("导入文件已不存在，请重新上传")
    rows = list(read_rows(base64.b64decode(upload.content)))
    if not rows:
        raise DomainError("文件中没有数据行（第1行为表头，从第2行开始填写）")
    if not run.update(rows_total=len(rows)):
        raise _Displaced
    checked = _check(run, actor, rows)
    if checked.problems:
        _fail(run, checked.problems, checked.warnings)
        return
    unchanged, differing = len(checked.existing) - len(checked.warnings), len(checked.warnings)
    with transaction.atomic():
        note = f"批量导入（任务 {run.job.pk}）"
        counts = write_rows(actor=actor, rows=checked.rows, existing=checked.existing, note=note)
        finished = run.update(
            state=ImportJob.State.DONE,
            rows_checked=len(rows),
            created_count=counts.people,
            unchanged_count=unchanged,
            differing_count=differing,
            key_groups_created=counts.key_groups,
            warnings=[w.as_dict() for w in checked.warnings[:MAX_STORED_PROBLEMS]],
            finished_at=timezone.now(),
        )
        if not finished:
            raise _Displaced  # rolls back everything this run wrote
        details = {"rows": len(rows), "unchanged": unchanged, "differing": differing}
        _audit(
            run.job, actor, AuditEvent.Outcome.SUCCESS, created=counts.people, key_groups=counts.key_groups, **details
        )


def _check(run: _Run, actor: Any, rows: list[Any]) -> _Checked:
    checker = RowChecker(scope_code=actor.region_code, today=timezone.localdate())
    result = _Checked()
    seen: dict[str, list[int]] = {}
    for start in range(0, len(rows), BATCH):
        batch: list[CheckedRow] = []
        for row in rows[start : start + BATCH]:
            good, problems = checker.check(row)
            result.problems.extend(problems)
            if good is not None:
                batch.append(good)
                seen.setdefault(good.id_index, []).append(good.number)
        _compare_with_registry(actor, batch, result)
        result.rows.extend(batch)
        if not run.update(rows_checked=min(start + BATCH, len(rows))):
            raise _Displaced
    result.problems.extend(duplicate_problems(seen))
    result.problems.sort(key=lambda p: (p.row or 0, p.column))
    return result


def _compare_with_registry(actor: Any, batch: list[CheckedRow], result: _Checked) -> None:
    """One query per batch finds the people already registered; in scope they are compared, not created."""
    wanted = {row.id_index for row in batch}
    found = Person.objects.filter(id_number_index__in=wanted).only(
        "pk", "id_number_index", "phone_index", "user_id", *COMPARED
    )
    registered = {p.id_number_index: p for p in found}
    for row in batch:
        person = registered.get(row.id_index)
        if person is None:
            continue
        if not in_scope(actor.region_code, person.region_code):
            result.problems.append(
                Problem(
                    row.number, LABELS["id_number"], "「身份证号」该人员已在其他辖区登记，请联系其常住地经办机构办理"
                )
            )
            continue
        result.existing[row.id_index] = person
        # A blank cell says nothing about the person: only what the file states is compared.
        differing = [
            LABELS[name]
            for name in COMPARED
            if name in row.filled and getattr(person, name) != getattr(row.person, name)
        ]
        if "phone" in row.filled and person.phone_index != blind_index(row.person.phone, "person.phone"):
            differing.append(LABELS["phone"])
        if differing:
            message = f"已登记，{'、'.join(differing)}与系统记录不一致；保留系统记录，如需变更请单独办理"
            result.warnings.append(Problem(row.number, "", message))


def _fail(run: _Run, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
    # Only while this run still holds the job: a job finished or taken over by another run keeps its outcome.
    failed = run.update(
        state=ImportJob.State.FAILED,
        problem_count=len(problems),
        problems=[p.as_dict() for p in problems[:MAX_STORED_PROBLEMS]],
        warnings=[w.as_dict() for w in (warnings or [])[:MAX_STORED_PROBLEMS]],
        finished_at=timezone.now(),
    )
    if failed and run.job.created_by is not None:
        _audit(run.job, run.job.created_by, AuditEvent.Outcome.FAILURE, problems=len(problems))


def _audit(job: ImportJob, actor: Any, outcome: str, **counts: int) -> None:
    record_event(
        "person.import",
        actor=actor,
        outcome=outcome,
        object_type="import_job",
        object_id=job.pk,
        region_code=job.region_code,
        details={"file_sha256": job.sha256, **counts},
    )


def import_upload(*, actor: Any, upload: UploadedFile | None) -> ImportJob:
    """Read an uploaded file (refusing an oversized one before reading it into memory) and queue it."""
    if upload is None:
        raise refuse_file("请选择要上传的文件")
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise refuse_file(f"不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请拆分后分批导入")
    job = import_job_create(actor=actor, file_name=upload.name or "", data=upload.read())
    # A task worker runs it (in this process with the immediate backend); the page and API follow its progress.
    from chuangye.jobs.actions import job_start

    job_start(
        "registry.import",
        {"import_job_id": job.pk},
        actor=actor,
        region_code=job.region_code,
        unique_key=f"registry.import:{job.pk}",
        label=f"人员批量导入：{job.file_name}"[:200],
    )
    job.refresh_from_db()
    return job
