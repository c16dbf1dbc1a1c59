"""Consultation (创业咨询) actions: questions, answers, follow-ups, ratings, overdue reminders and the FAQ."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from chuangye.accounts.models import Role, User
from chuangye.core.audit import record_event
from chuangye.core.errors import ConflictError, FieldValueError
from chuangye.core.files import attachment_create, check_file_count
from chuangye.inbox.actions import notify
from chuangye.registry.models import Person
from chuangye.services import access, search
from chuangye.services.actions.common import MAX_BODY, QUESTION_FILES, _county, _int, _region_officers, _text, forbidden
from chuangye.services.models import FaqEntry, Question, QuestionMessage
from chuangye.services.routing import TOPICS, route


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
