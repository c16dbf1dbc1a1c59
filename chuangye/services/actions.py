"""Every change the services app makes: one function each, in a transaction, with an audit event."""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from chuangye.accounts.models import Role, User
from chuangye.core.audit import record_event
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.core.files import attachment_create, check_file_count
from chuangye.core.money import parse_money
from chuangye.core.regions import in_scope, level_of, validate_region_code
from chuangye.inbox.actions import notify
from chuangye.policies.catalogue import CATALOGUE
from chuangye.policies.facts import KEY_GROUPS
from chuangye.registry.models import Business, Industry, Person
from chuangye.registry.validation import clean_date
from chuangye.services import access, matching, search
from chuangye.services.models import (
    Article,
    Assignment,
    EventSignup,
    Fair,
    FairSignup,
    FaqEntry,
    JobApplication,
    Mentor,
    Opening,
    Question,
    QuestionMessage,
    SeekerProfile,
    ServiceLog,
)
from chuangye.services.routing import TOPICS, route

QUESTION_FILES = "services_question"
MAX_BODY = 5000
FIRST_CONTACT_DAYS = 7  # 主动对接: the mentor reaches out within a week of the pairing
KEY_PROJECT_INTERVAL_DAYS = 14  # 跟踪陪跑: key projects are visited at least every two weeks
REMIND_AHEAD_DAYS = 3


def forbidden(message: str) -> DomainError:
    return DomainError(message=message, code="forbidden", status=403)


def _text(value: object, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if not text:
        if required:
            raise FieldValueError(field, label, "不能为空")
        return ""
    if len(text) > max_length:
        raise FieldValueError(field, label, f"不能超过{max_length}个字")
    if text[0] in "=+-@":
        raise FieldValueError(field, label, "不能以公式符号开头")
    return text


def _int(value: object, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise FieldValueError(field, label, "应为整数") from None
    if not low <= number <= high:
        raise FieldValueError(field, label, f"应在{low}到{high}之间")
    return number


def _choices(values: Sequence[str], allowed: Mapping[str, str], field: str, label: str) -> list[str]:
    picked = [str(v) for v in values if str(v)]
    unknown = [v for v in picked if v not in allowed]
    if unknown:
        raise FieldValueError(field, label, f"包含不认识的选项：{'、'.join(unknown)}")
    return sorted(set(picked))


def _county(value: object, field: str = "region_code", label: str = "所在地区") -> str:
    code = validate_region_code(value, field=field, label=label)
    if level_of(code) != "county":
        raise FieldValueError(field, label, "应选择到县（市、区）")
    return code


def _staff_in_scope(actor: Any, region_code: str, what: str) -> None:
    if actor.role not in (Role.OFFICER, Role.SUPERVISOR) or not in_scope(actor.region_code, region_code):
        raise forbidden(f"只有该地区的经办人员可以{what}")


def _region_officers(region_code: str) -> list[User]:
    return list(User.objects.filter(role=Role.OFFICER, region_code=region_code, is_active=True))


# --- consultation -----------------------------------------------------------------------------------------------


@transaction.atomic
def question_ask(
    *,
    asker: Any,
    topic: str,
    title: object,
    body: object,
    region_code: object = "",
    attachments: Sequence[UploadedFile] = (),
    request: HttpRequest | None = None,
) -> Question:
    """A citizen's question, routed by topic and region to the answering office with its deadline."""
    if getattr(asker, "role", None) != Role.CITIZEN:
        raise forbidden("只有创业者本人可以提出咨询")
    if topic not in TOPICS:
        raise FieldValueError("topic", "咨询类别", "请选择咨询类别")
    title_text = _text(title, "title", "问题摘要", 100)
    body_text = _text(body, "body", "问题内容", MAX_BODY)
    person = Person.objects.filter(user=asker).first()
    if region_code:
        region = _county(region_code, "region_code", "咨询事项所在地区")
    elif person is not None:
        region = person.region_code
    else:
        raise FieldValueError("region_code", "咨询事项所在地区", "请选择咨询事项所在的县（市、区）")
    now = timezone.now()
    where = route(topic, region, timezone.localdate(now))
    question = Question.objects.create(
        asker=asker,
        topic=topic,
        region_code=region,
        office=where.office,
        organisation=where.organisation,
        title=title_text,
        asked_at=now,
        due_on=where.due_on,
        due_provisional=where.provisional,
    )
    QuestionMessage.objects.create(question=question, kind=QuestionMessage.Kind.ASK, author=asker, body=body_text)
    for upload in check_file_count(attachments, field="attachments", label="附件"):
        attachment_create(
            upload=upload,
            object_type=QUESTION_FILES,
            object_id=question.pk,
            region_code=region,
            actor=asker,
            field="attachments",
            label="附件",
        )
    link = reverse("services:question", args=[question.pk])
    answerers = (
        list(User.objects.filter(organisation=where.organisation, is_active=True))
        if where.organisation
        else _region_officers(region)
    )
    for user in answerers:
        notify(
            user,
            f"新咨询待答复：{title_text}",
            f"请于{where.due_on:%Y年%m月%d日}前答复。",
            link=link,
            dedupe_key=f"services-question-{question.pk}-{user.pk}",
        )
    record_event(
        "services.question.ask",
        actor=asker,
        object_type="services_question",
        object_id=question.pk,
        region_code=region,
        details={"topic": topic, "office": where.office, "due_on": where.due_on.isoformat()},
        request=request,
    )
    return question


@transaction.atomic
def question_answer(*, actor: Any, question: Question, body: object, request: HttpRequest | None = None) -> Question:
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not access.can_answer(actor, question):
        raise forbidden("只有承办单位可以答复此咨询")
    if question.state != Question.State.PENDING:
        raise ConflictError("该咨询已答复，等待咨询人追问或评价")
    text = _text(body, "body", "答复内容", MAX_BODY)
    now = timezone.now()
    QuestionMessage.objects.create(question=question, kind=QuestionMessage.Kind.ANSWER, author=actor, body=text)
    on_time = timezone.localdate(now) <= question.due_on
    question.state, question.answered_at = Question.State.ANSWERED, now
    question.save(update_fields=["state", "answered_at"])
    notify(
        question.asker,
        f"您的咨询已答复：{question.title}",
        "请查看答复，可追问或评价满意度。",
        link=reverse("services:question", args=[question.pk]),
        sms=True,
    )
    record_event(
        "services.question.answer",
        actor=actor,
        object_type="services_question",
        object_id=question.pk,
        region_code=question.region_code,
        details={"on_time": on_time, "due_on": question.due_on.isoformat()},
        request=request,
    )
    return question


@transaction.atomic
def question_follow_up(*, actor: Any, question: Question, body: object, request: HttpRequest | None = None) -> Question:
    """The asker asks again after an answer: the question is pending again, with a fresh time limit."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.asker_id != actor.pk:
        raise forbidden("只有咨询人可以追问")
    if question.state != Question.State.ANSWERED:
        raise ConflictError("只能在答复后、评价前追问")
    text = _text(body, "body", "追问内容", MAX_BODY)
    where = route(question.topic, question.region_code, timezone.localdate())
    QuestionMessage.objects.create(question=question, kind=QuestionMessage.Kind.FOLLOW_UP, author=actor, body=text)
    question.state, question.due_on, question.due_provisional = Question.State.PENDING, where.due_on, where.provisional
    question.save(update_fields=["state", "due_on", "due_provisional"])
    record_event(
        "services.question.follow_up",
        actor=actor,
        object_type="services_question",
        object_id=question.pk,
        region_code=question.region_code,
        details={"due_on": where.due_on.isoformat()},
        request=request,
    )
    return question


@transaction.atomic
def question_rate(
    *, actor: Any, question: Question, rating: object, comment: object = "", request: HttpRequest | None = None
) -> Question:
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.asker_id != actor.pk:
        raise forbidden("只有咨询人可以评价")
    if question.state != Question.State.ANSWERED:
        raise ConflictError("只能对已答复的咨询评价一次")
    question.rating = _int(rating, "rating", "满意度", 1, 5)
    question.rating_comment = _text(comment, "comment", "评价意见", 200, required=False)
    question.state = Question.State.CLOSED
    question.save(update_fields=["rating", "rating_comment", "state"])
    record_event(
        "services.question.rate",
        actor=actor,
        object_type="services_question",
        object_id=question.pk,
        region_code=question.region_code,
        details={"rating": question.rating},
        request=request,
    )
    return question


def overdue_questions_send(*, today: dt.date | None = None) -> int:
    """Tell the answering office, and the region's supervisors, of questions past their time limit (once each)."""
    today = today or timezone.localdate()
    sent = 0
    late = Question.objects.filter(state=Question.State.PENDING, due_on__lt=today).select_related("organisation")
    for question in late:
        answerers = (
            list(User.objects.filter(organisation=question.organisation, is_active=True))
            if question.organisation
            else _region_officers(question.region_code)
        )
        supervisors = User.objects.filter(role=Role.SUPERVISOR, region_code=question.region_code, is_active=True)
        with transaction.atomic():
            notified = 0
            for user in [*answerers, *supervisors]:
                message = notify(
                    user,
                    f"咨询已超期未答复：{question.title}",
                    f"答复期限为{question.due_on:%Y年%m月%d日}，请尽快答复。",
                    link=reverse("services:question", args=[question.pk]),
                    dedupe_key=f"services-overdue-{question.pk}-{question.due_on.isoformat()}-{user.pk}",
                )
                notified += message is not None
            if notified:
                sent += 1
                record_event(
                    "services.question.overdue",
                    object_type="services_question",
                    object_id=question.pk,
                    region_code=question.region_code,
                    details={"due_on": question.due_on.isoformat(), "notified": notified},
                )
    return sent


@transaction.atomic
def faq_promote(
    *, actor: Any, question: Question, title: object = "", answer: object = "", request: HttpRequest | None = None
) -> FaqEntry:
    """Publish a good answer to the FAQ (the asker's identity is not published)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if actor.role not in (Role.OFFICER, Role.SUPERVISOR) or not access.can_answer(actor, question):
        raise forbidden("只有该地区的经办人员可以把答复收入常见问题")
    if question.state == Question.State.PENDING:
        raise ConflictError("答复后才能收入常见问题")
    if FaqEntry.objects.filter(question=question).exists():
        raise ConflictError("该咨询已收入常见问题")
    last_answer = question.messages.filter(kind=QuestionMessage.Kind.ANSWER).last()
    title_text = _text(title or question.title, "title", "问题", 200)
    answer_text = _text(answer or (last_answer.body if last_answer else ""), "answer", "解答", MAX_BODY)
    entry = FaqEntry.objects.create(
        question=question,
        topic=question.topic,
        title=title_text,
        answer=answer_text,
        region_code=question.region_code,
        promoted_by=actor,
        search_text=search.index_text(title_text, answer_text),
    )
    record_event(
        "services.faq.promote",
        actor=actor,
        object_type="services_faq",
        object_id=entry.pk,
        region_code=question.region_code,
        details={"question": question.pk},
        request=request,
    )
    return entry


# --- mentors ----------------------------------------------------------------------------------------------------


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


# --- hiring -----------------------------------------------------------------------------------------------------


@transaction.atomic
def opening_post(
    *, actor: Any, business: Business, data: Mapping[str, Any], request: HttpRequest | None = None
) -> Opening:
    """A founder posts an opening for their own operating business."""
    if not business.founders.filter(person__user=actor).exists():
        raise forbidden("只能为本人创办的经营主体发布岗位")
    if business.status != Business.Status.OPERATING:
        raise DomainError(message="该经营主体不在存续状态，不能发布岗位", code="invalid")
    role = _text(data.get("role"), "role", "岗位", 60)
    pay_min = parse_money(data.get("pay_min"), field="pay_min", label="月薪下限", allow_zero=False)
    pay_max = parse_money(data.get("pay_max"), field="pay_max", label="月薪上限", allow_zero=False)
    if pay_max < pay_min:
        raise FieldValueError("pay_max", "月薪上限", "不能低于月薪下限")
    place = _text(data.get("place"), "place", "工作地点", 200)
    requirements = _text(data.get("requirements"), "requirements", "任职要求", MAX_BODY)
    headcount = _int(data.get("headcount") or 1, "headcount", "招聘人数", 1, 999)
    opening = Opening.objects.create(
        business=business,
        role=role,
        pay_min=pay_min,
        pay_max=pay_max,
        place=place,
        region_code=business.region_code,
        requirements=requirements,
        headcount=headcount,
        posted_by=actor,
        search_text=search.index_text(role, requirements, place),
    )
    record_event(
        "services.opening.post",
        actor=actor,
        object_type="services_opening",
        object_id=opening.pk,
        region_code=opening.region_code,
        details={"business": business.pk, "role": role},
        request=request,
    )
    return opening


@transaction.atomic
def opening_close(*, actor: Any, opening: Opening, request: HttpRequest | None = None) -> Opening:
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    if not access.manages_opening(actor, opening):
        raise forbidden("无权结束该岗位招聘")
    if opening.state == Opening.State.CLOSED:
        raise ConflictError("该岗位已结束招聘")
    opening.state = Opening.State.CLOSED
    opening.save(update_fields=["state"])
    record_event(
        "services.opening.close",
        actor=actor,
        object_type="services_opening",
        object_id=opening.pk,
        region_code=opening.region_code,
        request=request,
    )
    return opening


@transaction.atomic
def seeker_profile_save(*, actor: Any, data: Mapping[str, Any], request: HttpRequest | None = None) -> SeekerProfile:
    if getattr(actor, "role", None) != Role.CITIZEN:
        raise forbidden("只有个人用户可以登记求职信息")
    role = _text(data.get("desired_role"), "desired_role", "意向岗位", 60)
    skills = _text(data.get("skills"), "skills", "技能与经历", 2000)
    pay = parse_money(data.get("expected_pay"), field="expected_pay", label="期望月薪", allow_zero=False)
    region = _county(data.get("region_code"), "region_code", "意向地区")
    profile, _ = SeekerProfile.objects.update_or_create(
        user=actor,
        defaults={
            "desired_role": role,
            "skills": skills,
            "expected_pay": pay,
            "region_code": region,
            "available": bool(data.get("available", True)),
            "updated_at": timezone.now(),
            "search_text": search.index_text(role, skills),
        },
    )
    record_event(
        "services.seeker.save",
        actor=actor,
        object_type="services_seeker",
        object_id=profile.pk,
        region_code=region,
        request=request,
    )
    return profile


@transaction.atomic
def job_apply(*, actor: Any, opening: Opening, request: HttpRequest | None = None) -> JobApplication:
    profile = SeekerProfile.objects.filter(user=actor).first()
    if profile is None:
        raise DomainError(message="请先填写求职信息（意向岗位、技能与期望月薪）", code="no_profile")
    if opening.state != Opening.State.OPEN:
        raise ConflictError("该岗位已结束招聘")
    if opening.business.founders.filter(person__user=actor).exists():
        raise DomainError(message="不能应聘本人创办的经营主体的岗位", code="invalid")
    score = matching.score_opening(profile, opening).score
    try:
        with transaction.atomic():
            application = JobApplication.objects.create(opening=opening, seeker=profile, score=score)
    except IntegrityError:
        raise ConflictError("您已应聘该岗位") from None
    representative = opening.business.legal_representative
    if representative is not None and representative.user is not None:
        notify(
            representative.user,
            f"新的应聘：{opening.role}",
            f"{actor.display_name}应聘，匹配分{score}分。",
            link=reverse("services:opening", args=[opening.pk]),
        )
    record_event(
        "services.opening.apply",
        actor=actor,
        object_type="services_opening",
        object_id=opening.pk,
        region_code=opening.region_code,
        details={"application": application.pk, "score": score},
        request=request,
    )
    return application


@transaction.atomic
def application_update(
    *,
    actor: Any,
    application_id: object,
    state: str,
    note: object = "",
    fair: Fair | None = None,
    request: HttpRequest | None = None,
) -> JobApplication:
    """The business (or the office) records the outcome: invited to interview, hired, not hired."""
    try:
        visible = access.applications_for(actor).values("pk")
        application = JobApplication.objects.select_for_update().get(pk=int(str(application_id)), pk__in=visible)
    except (JobApplication.DoesNotExist, ValueError):
        raise FieldValueError("application", "应聘记录", "不存在") from None
    if not access.manages_opening(actor, application.opening):
        raise forbidden("只有招聘单位或经办人员可以记录应聘结果")
    if state not in (JobApplication.State.INTERVIEW, JobApplication.State.HIRED, JobApplication.State.DECLINED):
        raise FieldValueError("state", "应聘结果", "请选择邀请面试、录用或未录用")
    if application.state in (JobApplication.State.HIRED, JobApplication.State.DECLINED):
        raise ConflictError("该应聘已有最终结果")
    application.state = state
    application.note = _text(note, "note", "备注", 200, required=False)
    application.updated_at = timezone.now()
    if fair is not None:
        application.fair = fair
    application.save()
    notify(
        application.seeker.user,
        f"应聘进展：{application.opening.role}",
        f"{application.opening.business.name}：{application.get_state_display()}。",
        link=reverse("services:opening", args=[application.opening_id]),
        sms=state != JobApplication.State.DECLINED,
    )
    record_event(
        "services.opening.outcome",
        actor=actor,
        object_type="services_opening",
        object_id=application.opening_id,
        region_code=application.opening.region_code,
        details={"application": application.pk, "state": state, "fair": fair.pk if fair else None},
        request=request,
    )
    return application


# --- matchmaking fairs (对接洽谈会) -----------------------------------------------------------------------------


@transaction.atomic
def fair_create(*, actor: Any, data: Mapping[str, Any], request: HttpRequest | None = None) -> Fair:
    title = _text(data.get("title"), "title", "名称", 100)
    region = _county(data.get("region_code") or actor.region_code, "region_code", "举办地区")
    _staff_in_scope(actor, region, "举办本地区的对接洽谈会")
    place = _text(data.get("place"), "place", "地点", 200)
    starts_at = _datetime(data.get("starts_at"), "starts_at", "时间")
    fair = Fair.objects.create(title=title, region_code=region, place=place, starts_at=starts_at, organiser=actor)
    record_event(
        "services.fair.create",
        actor=actor,
        object_type="services_fair",
        object_id=fair.pk,
        region_code=region,
        request=request,
    )
    return fair


def _datetime(value: object, field: str, label: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(value or "").strip())
    except ValueError:
        raise FieldValueError(field, label, "应为日期时间，例如 2026-12-01T09:30") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@transaction.atomic
def fair_signup(
    *, actor: Any, fair: Fair, side: str, business_id: object = None, request: HttpRequest | None = None
) -> FairSignup:
    """A start-up (with its open positions) or a job seeker (with a profile) registers for a fair."""
    if getattr(actor, "role", None) != Role.CITIZEN:
        raise forbidden("请以个人账号报名")
    if fair.starts_at < timezone.now():
        raise ConflictError("洽谈会已经开始或结束，不能报名")
    business = None
    if side == FairSignup.Side.EMPLOYER:
        business = Business.objects.filter(pk=pk_of(business_id), founders__person__user=actor).first()
        if business is None:
            raise FieldValueError("business", "用人单位", "请选择本人创办的经营主体")
        if not Opening.objects.filter(business=business, state=Opening.State.OPEN).exists():
            raise FieldValueError("business", "用人单位", "请先发布招聘岗位再报名")
    elif side == FairSignup.Side.SEEKER:
        if not SeekerProfile.objects.filter(user=actor).exists():
            raise DomainError(message="请先填写求职信息再报名", code="no_profile")
    else:
        raise FieldValueError("side", "报名身份", "请选择用人单位或求职者")
    try:
        with transaction.atomic():
            signup = FairSignup.objects.create(fair=fair, side=side, user=actor, business=business)
    except IntegrityError:
        raise ConflictError("您已报名") from None
    record_event(
        "services.fair.signup",
        actor=actor,
        object_type="services_fair",
        object_id=fair.pk,
        region_code=fair.region_code,
        details={"side": side, "business": business.pk if business else None},
        request=request,
    )
    return signup


@transaction.atomic
def fair_record_outcome(
    *,
    actor: Any,
    fair: Fair,
    opening_id: object,
    seeker_user_id: object,
    state: str,
    request: HttpRequest | None = None,
) -> JobApplication:
    """At the fair the office records what came of a conversation between a registered start-up and seeker."""
    if not access.manages_fair(actor, fair):
        raise forbidden("只有举办地区的经办人员可以记录洽谈结果")
    employers = fair.signups.filter(side=FairSignup.Side.EMPLOYER).values("business_id")
    opening = Opening.objects.filter(pk=pk_of(opening_id), business_id__in=employers).first()
    if opening is None:
        raise FieldValueError("opening", "岗位", "请选择已报名单位的岗位")
    seeker_signup = fair.signups.filter(side=FairSignup.Side.SEEKER, user_id=pk_of(seeker_user_id)).first()
    profile = SeekerProfile.objects.filter(user_id=seeker_signup.user_id).first() if seeker_signup else None
    if profile is None:
        raise FieldValueError("seeker", "求职者", "请选择已报名的求职者")
    application, _ = JobApplication.objects.get_or_create(
        opening=opening,
        seeker=profile,
        defaults={"score": matching.score_opening(profile, opening).score, "fair": fair},
    )
    return application_update(actor=actor, application_id=application.pk, state=state, fair=fair, request=request)


def pk_of(value: object) -> int:
    """A form's id field as an int; anything else is 0, which matches no row."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() else 0


# --- information publishing --------------------------------------------------------------------------------------


@transaction.atomic
def article_save(
    *, actor: Any, data: Mapping[str, Any], article: Article | None = None, request: HttpRequest | None = None
) -> Article:
    """An editor (officer) writes or revises a draft. Published articles are not edited in place."""
    if actor.role not in (Role.OFFICER, Role.SUPERVISOR):
        raise forbidden("只有经办人员可以编辑发布信息")
    if article is not None and article.state not in (Article.State.DRAFT, Article.State.RETURNED):
        raise ConflictError("待审核或已发布的信息不能修改")
    kind = str(data.get("kind") or "")
    if kind not in Article.Kind.values:
        raise FieldValueError("kind", "类别", "请选择政策、资讯或活动")
    title = _text(data.get("title"), "title", "标题", 200)
    body = _text(data.get("body"), "body", "正文", 20000)
    document = _text(data.get("document_number"), "document_number", "文号", 60, required=kind == Article.Kind.POLICY)
    policy_code = str(data.get("policy_code") or "").strip()
    if policy_code and policy_code not in CATALOGUE:
        raise FieldValueError("policy_code", "关联政策", "不是政策目录中的政策")
    fields: dict[str, Any] = {
        "kind": kind,
        "title": title,
        "body": body,
        "document_number": document,
        "policy_code": policy_code if kind == Article.Kind.POLICY else "",
        "event_starts_at": None,
        "event_place": "",
        "event_capacity": None,
        "search_text": search.index_text(title, document, body),
    }
    if kind == Article.Kind.EVENT:
        fields["event_starts_at"] = _datetime(data.get("event_starts_at"), "event_starts_at", "活动时间")
        fields["event_place"] = _text(data.get("event_place"), "event_place", "活动地点", 200)
        fields["event_capacity"] = _int(data.get("event_capacity"), "event_capacity", "名额", 1, 100000)
    if article is None:
        article = Article(author=actor, region_code=actor.region_code)
    elif not access.editable_articles_for(actor).filter(pk=article.pk).exists():
        raise forbidden("无权编辑该信息")
    for name, value in fields.items():
        setattr(article, name, value)
    article.state = Article.State.DRAFT
    article.save()
    record_event(
        "services.article.save",
        actor=actor,
        object_type="services_article",
        object_id=article.pk,
        region_code=article.region_code,
        details={"kind": kind},
        request=request,
    )
    return article


@transaction.atomic
def article_submit(*, actor: Any, article: Article, request: HttpRequest | None = None) -> Article:
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not access.editable_articles_for(actor).filter(pk=article.pk).exists():
        raise forbidden("无权提交该信息")
    if article.state not in (Article.State.DRAFT, Article.State.RETURNED):
        raise ConflictError("只有草稿或退回修改的信息可以提交审核")
    article.state, article.submitted_at = Article.State.PENDING, timezone.now()
    article.save(update_fields=["state", "submitted_at"])
    for supervisor in User.objects.filter(role=Role.SUPERVISOR, region_code=article.region_code, is_active=True):
        notify(
            supervisor,
            f"待审核发布：{article.title}",
            link=reverse("services:draft", args=[article.pk]),
            dedupe_key=f"services-review-{article.pk}-{article.submitted_at.isoformat()}-{supervisor.pk}",
        )
    record_event(
        "services.article.submit",
        actor=actor,
        object_type="services_article",
        object_id=article.pk,
        region_code=article.region_code,
        request=request,
    )
    return article


@transaction.atomic
def article_review(
    *, actor: Any, article: Article, approve: bool, note: object = "", request: HttpRequest | None = None
) -> Article:
    """A supervisor of the article's region publishes it or returns it; never the article's own editor."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if actor.role != Role.SUPERVISOR or not access.editable_articles_for(actor).filter(pk=article.pk).exists():
        raise forbidden("只有本地区的主管可以审核发布")
    if article.author_id == actor.pk:
        raise DomainError(message="不能审核自己编辑的信息", code="maker_checker", status=403)
    if article.state != Article.State.PENDING:
        raise ConflictError("该信息不在待审核状态")
    comment = _text(note, "note", "审核意见", 500, required=not approve)
    article.reviewer, article.review_note = actor, comment
    if approve:
        article.state, article.published_at = Article.State.PUBLISHED, timezone.now()
    else:
        article.state = Article.State.RETURNED
    article.save(update_fields=["reviewer", "review_note", "state", "published_at"])
    notify(
        article.author,
        f"{'已发布' if approve else '退回修改'}：{article.title}",
        comment,
        link=reverse("services:draft", args=[article.pk]),
    )
    record_event(
        "services.article.publish" if approve else "services.article.return",
        actor=actor,
        object_type="services_article",
        object_id=article.pk,
        region_code=article.region_code,
        request=request,
    )
    return article


@transaction.atomic
def event_signup(*, actor: Any, article: Article, request: HttpRequest | None = None) -> EventSignup:
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.kind != Article.Kind.EVENT or article.state != Article.State.PUBLISHED:
        raise ConflictError("这不是可报名的活动")
    if article.event_starts_at is not None and article.event_starts_at < timezone.now():
        raise ConflictError("活动已经开始或结束，不能报名")
    if article.event_capacity is not None and article.signups.count() >= article.event_capacity:
        raise ConflictError("名额已满")
    try:
        with transaction.atomic():
            signup = EventSignup.objects.create(article=article, user=actor)
    except IntegrityError:
        raise ConflictError("您已报名该活动") from None
    record_event(
        "services.event.signup",
        actor=actor,
        object_type="services_article",
        object_id=article.pk,
        region_code=article.region_code,
        request=request,
    )
    return signup
