"""Training catalogue and classes: listing institutions and trainers, applying to open a class and its decision."""

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from chuangye.accounts.models import Organisation
from chuangye.cases.actions import case_submit
from chuangye.core.errors import FieldValueError
from chuangye.inbox.actions import notify
from chuangye.policies.facts import COURSES
from chuangye.training.actions.common import (
    MAX_CAPACITY,
    _audit,
    _courses,
    _date,
    _int,
    _require_institution,
    _require_staff,
    param_value,
)
from chuangye.training.models import Institution, Session, Trainer, TrainingClass


@transaction.atomic
def institution_list(*, actor: Any, data: dict[str, Any], request: HttpRequest | None = None) -> Institution:
    """Put a training institution on the published list (or renew its listing) for a period."""
    code = str(data.get("credit_code", "")).strip().upper()
    org = Organisation.objects.filter(credit_code=code, kind=Organisation.Kind.TRAINING).first()
    if org is None:
        raise FieldValueError("credit_code", "统一社会信用代码", "未找到该培训机构（须为平台登记的培训机构）")
    _require_staff(actor, org.region_code)
    start = _date(data.get("listed_from"), "listed_from", "列入目录日期")
    until = _date(data.get("listed_until"), "listed_until", "目录有效期至")
    if until < start:
        raise FieldValueError("listed_until", "目录有效期至", "不能早于列入目录日期")
    document = str(data.get("document", "")).strip()
    if not document:
        raise FieldValueError("document", "公布文号", "必填")
    courses = _courses(data.get("courses") or [], "courses", "可承办课程")
    institution, _ = Institution.objects.update_or_create(
        organisation=org,
        defaults={
            "region_code": org.region_code,
            "courses": courses,
            "listed_from": start,
            "listed_until": until,
            "document": document[:100],
            "listed_by": actor,
        },
    )
    _audit("institution_listed", actor, institution, org.region_code, request, until=until.isoformat())
    return institution


@transaction.atomic
def trainer_register(
    *, actor: Any, institution: Institution, data: dict[str, Any], request: HttpRequest | None = None
) -> Trainer:
    _require_staff(actor, institution.region_code)
    name = str(data.get("name", "")).strip()
    if not 2 <= len(name) <= 50:
        raise FieldValueError("name", "姓名", "应为2至50个字")
    level = str(data.get("level", ""))
    if level not in Trainer.Level.values:
        raise FieldValueError("level", "资质等级", "请选择资质等级")
    number = str(data.get("certificate_number", "")).strip()
    if not number:
        raise FieldValueError("certificate_number", "讲师资格证书编号", "必填")
    if Trainer.objects.filter(certificate_number=number).exists():
        raise FieldValueError("certificate_number", "讲师资格证书编号", "已登记过")
    trainer = Trainer.objects.create(
        name=name,
        institution=institution,
        level=level,
        certificate_number=number[:40],
        courses=_courses(data.get("courses") or [], "courses", "可讲授课程"),
        valid_until=_date(data.get("valid_until"), "valid_until", "资格有效期至"),
        region_code=institution.region_code,
    )
    _audit("trainer_registered", actor, trainer, institution.region_code, request, name=name)
    return trainer


# Classes --------------------------------------------------------------------------------------------------------

_SESSION_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*[-–~至]\s*(\d{1,2}:\d{2})\s*(.*)$")


def parse_sessions(text: str) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """One session a line: ``2026-12-01 09:00-12:00 主题``. Times are local; every line is checked."""
    rows = []
    tz = timezone.get_current_timezone()
    for number, line in enumerate((ln.strip() for ln in str(text or "").splitlines() if ln.strip()), start=1):
        found = _SESSION_LINE.match(line)
        if not found:
            raise FieldValueError("sessions", "课程安排", f"第{number}行格式应为“2026-12-01 09:00-12:00 主题”")
        try:
            day = dt.date.fromisoformat(found.group(1))
            start = dt.datetime.combine(day, dt.time.fromisoformat(found.group(2).zfill(5)), tz)
            end = dt.datetime.combine(day, dt.time.fromisoformat(found.group(3).zfill(5)), tz)
        except ValueError:
            raise FieldValueError("sessions", "课程安排", f"第{number}行的日期或时间无效") from None
        if end <= start:
            raise FieldValueError("sessions", "课程安排", f"第{number}行的结束时间应晚于开始时间")
        rows.append((start, end, found.group(4).strip()[:100]))
    if not rows:
        raise FieldValueError("sessions", "课程安排", "至少安排一次课")
    rows.sort()
    for (_, end, _), (start, _, _) in pairwise(rows):
        if start < end:
            raise FieldValueError("sessions", "课程安排", "课次时间有重叠")
    return rows


@transaction.atomic
def class_apply(
    *,
    actor: Any,
    data: dict[str, Any],
    trainer_ids: Iterable[object],
    sessions_text: str,
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> TrainingClass:
    """An institution applies to open a class; the bureau of its region decides (case ``training.class``)."""
    institution = _require_institution(actor)
    today = timezone.localdate()
    course = str(data.get("course", "")).strip().upper()
    if course not in COURSES:
        raise FieldValueError("course", "课程", "请选择课程")
    if course not in institution.courses:
        raise FieldValueError("course", "课程", "本机构未列入该课程的承办目录")
    title = str(data.get("title", "")).strip()
    if not 2 <= len(title) <= 100:
        raise FieldValueError("title", "班级名称", "应为2至100个字")
    start = _date(data.get("start_date"), "start_date", "开班日期")
    end = _date(data.get("end_date"), "end_date", "结业日期")
    if start <= today:
        raise FieldValueError("start_date", "开班日期", "须在开班前申请，开班日期应晚于今天")
    if end < start:
        raise FieldValueError("end_date", "结业日期", "不能早于开班日期")
    if not institution.listed_on(start) or not institution.listed_on(end):
        raise FieldValueError("start_date", "开班日期", f"培训期间超出本机构目录有效期（至{institution.listed_until}）")
    online = str(data.get("online", "")) in ("1", "true", "on", "True")
    venue = str(data.get("venue", "")).strip()
    if not online and not venue:
        raise FieldValueError("venue", "培训地点", "线下培训须填写培训地点")
    capacity = _int(data.get("capacity"), "capacity", "计划人数", low=1, high=MAX_CAPACITY)
    hours = _int(data.get("hours"), "hours", "总学时", low=1, high=1000)
    standard = param_value(f"training.hours.{course}", institution.region_code, start)
    if standard is not None and hours < standard:
        raise FieldValueError("hours", "总学时", f"不得少于本地区{course}课时标准{standard}学时")
    ids = {int(str(t)) for t in trainer_ids if str(t).isdigit()}
    trainers = list(Trainer.objects.filter(pk__in=ids, institution=institution))
    if not trainers or len(trainers) != len(ids):
        raise FieldValueError("trainers", "授课讲师", "请选择本机构登记的讲师")
    for trainer in trainers:
        if not trainer.may_teach(course, end):
            raise FieldValueError("trainers", "授课讲师", f"{trainer.name}无{course}课程的有效授课资格（至结业日）")
    sessions = parse_sessions(sessions_text)
    if timezone.localtime(sessions[0][0]).date() < start or timezone.localtime(sessions[-1][1]).date() > end:
        raise FieldValueError("sessions", "课程安排", "课次应在开班日期与结业日期之间")
    region = institution.region_code
    built: dict[str, TrainingClass] = {}

    def build(case: Any) -> None:
        klass = TrainingClass.objects.create(
            case=case,
            institution=institution,
            course=course,
            title=title,
            region_code=region,
            start_date=start,
            end_date=end,
            online=online,
            venue=venue[:200],
            capacity=capacity,
            hours=hours,
        )
        klass.trainers.set(trainers)
        for number, (s, e, topic) in enumerate(sessions, start=1):
            Session.objects.create(
                training_class=klass, number=number, starts_at=s, ends_at=e, topic=topic, qr_nonce=secrets.token_hex(4)
            )
        built["class"] = klass

    case, created = case_submit(
        case_type_code="training.class",
        applicant_user=actor,
        accepting_region=region,
        deciding_region=region,
        idempotency_key=idempotency_key,
        build_payload=build,
        request=request,
    )
    klass = built.get("class") or TrainingClass.objects.get(case=case)
    if created:
        _audit("class_applied", actor, klass, region, request, course=course, case=case.number)
    return klass


def on_class_decided(case: Any, actor: Any) -> None:
    """The case engine's hook: record the approval time (the subsidy needs approval before the start)."""
    klass = TrainingClass.objects.get(case=case)
    if case.state == "approved":
        klass.approved_at = timezone.now()
        klass.save(update_fields=["approved_at"])
    _audit(f"class_{case.state}", actor, klass, klass.region_code, None, case=case.number)
    outcome = {"approved": "准予开班", "refused": "不予开班", "withdrawn": "已撤回"}.get(case.state, case.state)
    for user in klass.institution.organisation.users.filter(is_active=True).exclude(pk=case.applicant_user_id):
        notify(user, f"开班申请{outcome}：{klass.title}", case.number, link=f"/training/org/classes/{klass.pk}/")
