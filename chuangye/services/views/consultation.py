"""Consultation pages: asking a question, the question list and one question."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from chuangye.accounts.access import roles, signed_in
from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.core.files import attachments_of
from chuangye.registry.models import Person
from chuangye.services import access, actions
from chuangye.services.models import FaqEntry, Question
from chuangye.services.routing import TOPICS
from chuangye.services.views.common import _attempt, _is_staff, _me, _render


@roles(Role.CITIZEN)
def ask(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user=_me(request)).first()
    context: dict[str, Any] = {"topics": TOPICS.values(), "person": person, "data": {}}
    if request.method == "POST":
        context["data"] = request.POST
        try:
            question = actions.question_ask(
                asker=_me(request),
                topic=request.POST.get("topic", ""),
                title=request.POST.get("title"),
                body=request.POST.get("body"),
                region_code=request.POST.get("region_code", ""),
                attachments=request.FILES.getlist("attachments"),
                request=request,
            )
        except DomainError as error:
            return _render(request, "services/ask.html", {**context, "error": error.message}, status=error.status)
        messages.success(request, f"已转交{question.office}，将于{question.due_on:%Y年%m月%d日}前答复")
        return redirect("services:question", services_question_id=question.pk)
    return _render(request, "services/ask.html", context)


@signed_in
def questions(request: HttpRequest) -> HttpResponse:
    rows = access.questions_for(_me(request))
    state = request.GET.get("state", "")
    if state in Question.State.values:
        rows = rows.filter(state=state)
    rows = rows.order_by("due_on", "asked_at") if _me(request).role != Role.CITIZEN else rows
    return _render(
        request,
        "services/questions.html",
        {
            "questions": rows[:200],
            "state": state,
            "states": Question.State.choices,
            "today": timezone.localdate(),
            "topics": {code: t.label for code, t in TOPICS.items()},
        },
    )


@signed_in
def question(request: HttpRequest, services_question_id: int) -> HttpResponse:
    item = access.access_question_by_id(_me(request), services_question_id)
    user = _me(request)
    context: dict[str, Any] = {
        "question": item,
        "thread": item.messages.select_related("author"),
        "files": attachments_of(actions.QUESTION_FILES, item.pk),
        "topic": TOPICS[item.topic],
        "overdue": item.state == Question.State.PENDING and timezone.localdate() > item.due_on,
        "is_asker": item.asker_id == user.pk,
        "can_answer": access.can_answer(user, item),
        "can_promote": _is_staff(user)
        and access.can_answer(user, item)
        and item.state != Question.State.PENDING
        and not FaqEntry.objects.filter(question=item).exists(),
        "faq": FaqEntry.objects.filter(question=item).first(),
    }

    def page(error: str = "", status: int = 200) -> HttpResponse:
        return _render(request, "services/question.html", {**context, "error": error}, status=status)

    if request.method == "POST":
        action, post = request.POST.get("action", ""), request.POST
        runs: dict[str, Callable[[], Any]] = {
            "answer": lambda: actions.question_answer(
                actor=user, question=item, body=post.get("body"), request=request
            ),
            "follow_up": lambda: actions.question_follow_up(
                actor=user, question=item, body=post.get("body"), request=request
            ),
            "rate": lambda: actions.question_rate(
                actor=user, question=item, rating=post.get("rating"), comment=post.get("comment"), request=request
            ),
            "promote": lambda: actions.faq_promote(
                actor=user, question=item, title=post.get("title"), answer=post.get("answer"), request=request
            ),
        }
        if action not in runs:
            return page("请选择要执行的操作", 422)
        result = _attempt(request, page, runs[action])
        if isinstance(result, HttpResponse):
            return result
        return redirect("services:question", services_question_id=item.pk)
    return page()
