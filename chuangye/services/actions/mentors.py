"""Mentor (创业导师) actions: the register, pairings, service logs, key projects and visit reminders."""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from chuangye.accounts.models import Role, User
from chuangye.core.audit import record_event
from chuangye.core.errors import ConflictError, FieldValueError
from chuangye.core.regions import validate_region_code
from chuangye.inbox.actions import notify
from chuangye.policies.facts import KEY_GROUPS
from chuangye.registry.models import Industry, Person
from chuangye.registry.validation import clean_date
from chuangye.services import access, matching
from chuangye.services.actions.common import (
    FIRST_CONTACT_DAYS,
    KEY_PROJECT_INTERVAL_DAYS,
    MAX_BODY,
    REMIND_AHEAD_DAYS,
    _choices,
    _int,
    _staff_in_scope,
    _text,
    forbidden,
)
from chuangye.services.models import Assignment, Mentor, ServiceLog


def _mentor_fields(
    data: Mapping[str, Any], industries: Sequence[str], stages: Sequence[str], groups: Sequence[str]
) -> dict[str, Any]:
    fields = {
        "name": _text(data.get("name"), "name", "姓名", 50),
        "title": _text(data.get("title"), "title", "职务职称", 100, required=False),
        "bio": _text(data.get("bio"), "bio", "简介", 2000, required=False),
        "region_code": validate_region_code(data.get("region_code"), field="region_code", label="服务地区"),
        "industries": _choices(industries, dict(Industry.choices), "industries", "擅长行业"),
        "stages": _choices(stages, matching.STAGES, "stages", "擅长阶段"),
        "groups": _choices(groups, KEY_GROUPS, "groups", "服务群体"),
        "capacity": _int(data.get("capacity"), "capacity", "最多同时辅导人数", 1, 50),
        "available": bool(data.get("available")),
    }
    if not fields["industries"]:
        raise FieldValueError("industries", "擅长行业", "至少选择一项")
    if not fields["stages"]:
        raise FieldValueError("stages", "擅长阶段", "至少选择一项")
    return fields


@transaction.atomic
def mentor_register(
    *,
    actor: Any,
    username: object,
    data: Mapping[str, Any],
    industries: Sequence[str],
    stages: Sequence[str],
    groups: Sequence[str] = (),
    request: HttpRequest | None = None,
) -> Mentor:
    """An officer puts a mentor account into the registry, serving a county of the officer's region."""
    user = User.objects.filter(username=str(username or "").strip(), role=Role.MENTOR, is_active=True).first()
    if user is None:
        raise FieldValueError("username", "导师账号", "不是有效的创业导师账号")
    if Mentor.objects.filter(user=user).exists():
        raise FieldValueError("username", "导师账号", "该导师已在名录中")
    fields = _mentor_fields(data, industries, stages, groups)
    _staff_in_scope(actor, fields["region_code"], "登记本地区的创业导师")
    mentor = Mentor.objects.create(user=user, registered_by=actor, **fields)
    record_event(
        "services.mentor.register",
        actor=actor,
        object_type="services_mentor",
        object_id=mentor.pk,
        region_code=mentor.region_code,
        request=request,
    )
    return mentor


@transaction.atomic
def mentor_update(
    *,
    actor: Any,
    mentor: Mentor,
    data: Mapping[str, Any],
    industries: Sequence[str],
    stages: Sequence[str],
    groups: Sequence[str] = (),
    request: HttpRequest | None = None,
) -> Mentor:
    """The mentor keeps their own profile (expertise, capacity, availability) current."""
    if mentor.user_id != actor.pk:
        raise forbidden("只能修改本人的导师信息")
    fields = _mentor_fields(data, industries, stages, groups)
    for name, value in fields.items():
        setattr(mentor, name, value)
    mentor.save()
    record_event(
        "services.mentor.update",
        actor=actor,
        object_type="services_mentor",
        object_id=mentor.pk,
        region_code=mentor.region_code,
        details={"capacity": mentor.capacity, "available": mentor.available},
        request=request,
    )
    return mentor


@transaction.atomic
def mentor_assign(
    *, actor: Any, person: Person, mentor_id: object, key_project: bool = False, request: HttpRequest | None = None
) -> Assignment:
    """Pair a founder with a mentor the matcher offers them; the score and its reasons are kept with the pairing.

    The founder chooses for themselves; an officer of the founder's region may pair on their behalf."""
    if actor.role == Role.CITIZEN:
        if person.user_id != actor.pk:
            raise forbidden("只能为本人申请导师")
        key_project = False  # only the office marks 跟踪陪跑 key projects
    else:
        _staff_in_scope(actor, person.region_code, "为本地区创业者匹配导师")
    try:
        mentor = Mentor.objects.select_for_update().get(pk=int(str(mentor_id)))
    except (Mentor.DoesNotExist, ValueError):
        raise FieldValueError("mentor", "创业导师", "请选择导师") from None
    today = timezone.localdate()
    founder = matching.founder_profile(person, today)
    offered = {m.target.pk: m for m in matching.rank_mentors(founder, limit=1000)}
    match = offered.get(mentor.pk)
    if match is None:
        raise ConflictError(f"{mentor.name}暂不能接受新的对接（已满额、暂停接受或已在为您辅导）")
    interval = KEY_PROJECT_INTERVAL_DAYS if key_project else 30
    assignment = Assignment.objects.create(
        mentor=mentor,
        person=person,
        business=founder.business,
        region_code=person.region_code,
        score=match.score,
        explanation=match.explanation(),
        key_project=key_project,
        visit_interval_days=interval,
        next_visit_on=today + dt.timedelta(days=FIRST_CONTACT_DAYS),
        created_by=actor,
    )
    notify(
        mentor.user,
        f"新的创业者对接：{person.name}",
        f"匹配分{match.score}分，请于{assignment.next_visit_on:%m月%d日}前主动对接。",
        link=reverse("services:assignment", args=[assignment.pk]),
    )
    record_event(
        "services.mentor.assign",
        actor=actor,
        object_type="services_assignment",
        object_id=assignment.pk,
        region_code=assignment.region_code,
        details={"mentor": mentor.pk, "score": match.score, "key_project": key_project},
        request=request,
    )
    return assignment


@transaction.atomic
def service_log_add(
    *,
    actor: Any,
    assignment: Assignment,
    visit_type: str,
    visited_on: object,
    notes: object,
    next_step: object = "",
    next_visit_on: object = "",
    request: HttpRequest | None = None,
) -> ServiceLog:
    """The mentor records a visit; the next visit falls due at the date they give, or after the visit interval."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.mentor.user_id != actor.pk:
        raise forbidden("只有对接导师可以填写服务记录")
    if assignment.state != Assignment.State.ACTIVE:
        raise ConflictError("对接已结束，不能再填写服务记录")
    if visit_type not in ServiceLog.VisitType.values:
        raise FieldValueError("visit_type", "服务方式", "请选择服务方式")
    today = timezone.localdate()
    day = clean_date(visited_on, field="visited_on", label="服务日期")
    if day is None:
        raise FieldValueError("visited_on", "服务日期", "不能为空")
    if day > today:
        raise FieldValueError("visited_on", "服务日期", "不能晚于今天")
    if day < assignment.created_at.date() - dt.timedelta(days=1):
        raise FieldValueError("visited_on", "服务日期", "不能早于对接开始日期")
    following = clean_date(next_visit_on, field="next_visit_on", label="下次走访日期")
    if following is not None and following <= day:
        raise FieldValueError("next_visit_on", "下次走访日期", "应晚于本次服务日期")
    log = ServiceLog.objects.create(
        assignment=assignment,
        visit_type=visit_type,
        visited_on=day,
        notes=_text(notes, "notes", "服务内容", MAX_BODY),
        next_step=_text(next_step, "next_step", "下一步", 200, required=False),
        author=actor,
    )
    latest = assignment.logs.order_by("-visited_on", "-id").first()
    if latest is not None and latest.pk == log.pk:
        assignment.next_visit_on = following or day + dt.timedelta(days=assignment.visit_interval_days)
        assignment.save(update_fields=["next_visit_on"])
    record_event(
        "services.mentor.log",
        actor=actor,
        object_type="services_assignment",
        object_id=assignment.pk,
        region_code=assignment.region_code,
        details={"visit_type": visit_type, "visited_on": day.isoformat()},
        request=request,
    )
    return log


@transaction.atomic
def assignment_rate(
    *, actor: Any, assignment: Assignment, rating: object, comment: object = "", request: HttpRequest | None = None
) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.person.user_id != actor.pk:
        raise forbidden("只有接受辅导的创业者可以评价")
    if not assignment.logs.exists():
        raise ConflictError("导师提供服务后才能评价")
    assignment.rating = _int(rating, "rating", "满意度", 1, 5)
    assignment.rating_comment = _text(comment, "comment", "评价意见", 200, required=False)
    assignment.save(update_fields=["rating", "rating_comment"])
    record_event(
        "services.mentor.rate",
        actor=actor,
        object_type="services_assignment",
        object_id=assignment.pk,
        region_code=assignment.region_code,
        details={"rating": assignment.rating},
        request=request,
    )
    return assignment


@transaction.atomic
def assignment_key_project(
    *, actor: Any, assignment: Assignment, key_project: bool, request: HttpRequest | None = None
) -> Assignment:
    """The office marks (or unmarks) a key project for 跟踪陪跑: visits at least every two weeks."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _staff_in_scope(actor, assignment.region_code, "确定跟踪陪跑重点项目")
    if assignment.state != Assignment.State.ACTIVE:
        raise ConflictError("对接已结束")
    assignment.key_project = key_project
    assignment.visit_interval_days = KEY_PROJECT_INTERVAL_DAYS if key_project else 30
    latest = assignment.logs.order_by("-visited_on", "-id").first()
    start = latest.visited_on if latest else assignment.created_at.date()
    assignment.next_visit_on = (
        min(assignment.next_visit_on or start, start + dt.timedelta(days=assignment.visit_interval_days))
        if key_project
        else start + dt.timedelta(days=assignment.visit_interval_days)
    )
    assignment.save(update_fields=["key_project", "visit_interval_days", "next_visit_on"])
    record_event(
        "services.mentor.key_project",
        actor=actor,
        object_type="services_assignment",
        object_id=assignment.pk,
        region_code=assignment.region_code,
        details={"key_project": key_project},
        request=request,
    )
    return assignment


@transaction.atomic
def assignment_end(*, actor: Any, assignment: Assignment, request: HttpRequest | None = None) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not access.assignments_for(actor).filter(pk=assignment.pk).exists():
        raise forbidden("无权结束该对接")
    if assignment.state != Assignment.State.ACTIVE:
        raise ConflictError("对接已结束")
    assignment.state, assignment.next_visit_on = Assignment.State.ENDED, None
    assignment.save(update_fields=["state", "next_visit_on"])
    record_event(
        "services.mentor.end",
        actor=actor,
        object_type="services_assignment",
        object_id=assignment.pk,
        region_code=assignment.region_code,
        request=request,
    )
    return assignment


def visit_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind mentors of visits due within three days or overdue (once per assignment and due date)."""
    today = today or timezone.localdate()
    due = Assignment.objects.filter(
        state=Assignment.State.ACTIVE, next_visit_on__lte=today + dt.timedelta(days=REMIND_AHEAD_DAYS)
    ).select_related("mentor__user", "person")
    sent = 0
    for assignment in due:
        when = assignment.next_visit_on
        if when is None:  # excluded by the filter; keeps the type checker informed
            continue
        late = when < today
        title = f"{'走访已逾期' if late else '走访即将到期'}：{assignment.person.name}"
        key_note = "（跟踪陪跑重点项目）" if assignment.key_project else ""
        body = f"应于{when:%Y年%m月%d日}前走访{key_note}。"
        with transaction.atomic():
            message = notify(
                assignment.mentor.user,
                title,
                body,
                link=reverse("services:assignment", args=[assignment.pk]),
                dedupe_key=f"services-visit-{assignment.pk}-{when.isoformat()}-{'late' if late else 'soon'}",
            )
            if message is not None:
                sent += 1
                record_event(
                    "services.mentor.remind",
                    object_type="services_assignment",
                    object_id=assignment.pk,
                    region_code=assignment.region_code,
                    details={"due": when.isoformat(), "late": late},
                )
    return sent
