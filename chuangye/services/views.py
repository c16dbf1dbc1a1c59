"""Pages of the services app: catalogue, information, consultation, mentors, hiring and matchmaking fairs.

Views only read requests, call ``actions`` and fetch through ``access``; a refusal (``DomainError``) re-renders the
page with its Chinese message and status.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from chuangye.accounts.access import public, roles, signed_in
from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.core.files import attachments_of
from chuangye.core.models import Region
from chuangye.policies.catalogue import CATALOGUE
from chuangye.policies.facts import KEY_GROUPS
from chuangye.registry.access import businesses_for
from chuangye.registry.models import Business, Industry, Person
from chuangye.services import access, actions, catalogue, matching, search
from chuangye.services.models import (
    Article,
    Assignment,
    Fair,
    FairSignup,
    FaqEntry,
    JobApplication,
    Mentor,
    Opening,
    Question,
    SeekerProfile,
    ServiceLog,
)
from chuangye.services.routing import TOPICS

STAFF = (Role.OFFICER, Role.SUPERVISOR)


def _attempt(request: HttpRequest, render_page: Callable[[str, int], HttpResponse], run: Callable[[], Any]) -> Any:
    """Run an action; on a refusal, return the page re-rendered with the message (the caller returns it)."""
    try:
        return run()
    except DomainError as error:
        return render_page(error.message, error.status)


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """Citizens and visitors see the portal's frame; staff, partners and mentors the workbench's."""
    institutional = getattr(_me(request), "is_institutional", False)
    base = "workbench/base.html" if institutional else "portal/base.html"
    return render(request, template, {**context, "base": base}, status=status)


def _me(request: HttpRequest) -> Any:
    """The signed-in account (every view here is declared, so a view that needs one has one)."""
    return request.user


def _is_staff(user: Any) -> bool:
    return getattr(user, "role", None) in STAFF


def _region_label(code: str) -> str:
    if not code:
        return "全国"
    return Region.objects.filter(code=code).values_list("full_name", flat=True).first() or code


# --- catalogue ---------------------------------------------------------------------------------------------------


def _catalogue_region(request: HttpRequest) -> str:
    code = request.GET.get("region", "").strip()
    return code if code and Region.objects.filter(code=code).exists() else ""


@public
def catalogue_page(request: HttpRequest) -> HttpResponse:
    region = _catalogue_region(request)
    groups = catalogue.build(on=timezone.localdate(), region_code=region)
    context = {"groups": groups, "region": region, "region_label": _region_label(region)}
    return _render(request, "services/catalogue.html", context)


@public
def catalogue_pdf(request: HttpRequest) -> HttpResponse:
    region = _catalogue_region(request)
    today = timezone.localdate()
    pdf = catalogue.render_pdf(
        catalogue.build(on=today, region_code=region), on=today, region_label=_region_label(region)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="service-catalogue-{region or "national"}.pdf"'
    return response


# --- information ----------------------------------------------------------------------------------------------


@public
def info(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[: search.MAX_QUERY]
    kind = request.GET.get("kind", "")
    articles = access.published_articles()
    if kind in Article.Kind.values:
        articles = articles.filter(kind=kind)
    context: dict[str, Any] = {"query": query, "kind": kind, "kinds": Article.Kind.choices}
    if query:
        context["articles"] = search.search(articles, query)
        context["faqs"] = search.search(FaqEntry.objects.all(), query)
        context["tokens"] = search.query_tokens(query)
    else:
        context["articles"] = list(articles[:50])
    return _render(request, "services/info.html", context)


@public
def article_page(request: HttpRequest, services_article_id: int) -> HttpResponse:
    article = access.access_published_by_id(services_article_id)
    policy = CATALOGUE.get(article.policy_code) if article.policy_code else None
    context: dict[str, Any] = {
        "article": article,
        "policy": policy,
        "parameters": (
            catalogue.policy_parameters(policy, on=timezone.localdate(), region_code=article.region_code)
            if policy
            else []
        ),
        "signed_up": bool(_me(request).is_authenticated and article.signups.filter(user_id=_me(request).pk).exists()),
        "signup_count": article.signups.count(),
    }

    def page(error: str = "", status: int = 200) -> HttpResponse:
        return _render(request, "services/article.html", {**context, "error": error}, status=status)

    if request.method == "POST":
        if not _me(request).is_authenticated:
            return redirect(f"/login/?next={request.path}")
        result = _attempt(
            request, page, lambda: actions.event_signup(actor=_me(request), article=article, request=request)
        )
        if isinstance(result, HttpResponse):
            return result
        messages.success(request, "报名成功")
        return redirect("services:article", services_article_id=article.pk)
    return page()


@public
def faq(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[: search.MAX_QUERY]
    entries = search.search(FaqEntry.objects.all(), query) if query else list(FaqEntry.objects.all()[:100])
    topics = {code: t.label for code, t in TOPICS.items()}
    return _render(request, "services/faq.html", {"entries": entries, "query": query, "topics": topics})


@roles(Role.OFFICER, Role.SUPERVISOR)
def editor(request: HttpRequest) -> HttpResponse:
    articles = access.editable_articles_for(_me(request)).select_related("author")
    context: dict[str, Any] = {
        "articles": articles[:200],
        "kinds": Article.Kind.choices,
        "policies": CATALOGUE.values(),
        "data": {},
    }
    if request.method == "POST":
        context["data"] = request.POST
        try:
            article = actions.article_save(actor=_me(request), data=request.POST, request=request)
        except DomainError as error:
            return _render(request, "services/editor.html", {**context, "error": error.message}, status=error.status)
        return redirect("services:draft", services_draft_id=article.pk)
    return _render(request, "services/editor.html", context)


@roles(Role.OFFICER, Role.SUPERVISOR)
def draft(request: HttpRequest, services_draft_id: int) -> HttpResponse:
    article = access.access_draft_by_id(_me(request), services_draft_id)
    context: dict[str, Any] = {
        "article": article,
        "kinds": Article.Kind.choices,
        "policies": CATALOGUE.values(),
        "editable": article.state in (Article.State.DRAFT, Article.State.RETURNED),
        "can_review": _me(request).role == Role.SUPERVISOR
        and article.state == Article.State.PENDING
        and article.author_id != _me(request).pk,
    }

    def page(error: str = "", status: int = 200) -> HttpResponse:
        return _render(request, "services/draft.html", {**context, "error": error}, status=status)

    if request.method == "POST":
        action = request.POST.get("action", "")
        runs: dict[str, Callable[[], Any]] = {
            "save": lambda: actions.article_save(
                actor=_me(request), data=request.POST, article=article, request=request
            ),
            "submit": lambda: actions.article_submit(actor=_me(request), article=article, request=request),
            "publish": lambda: actions.article_review(
                actor=_me(request), article=article, approve=True, note=request.POST.get("note"), request=request
            ),
            "return": lambda: actions.article_review(
                actor=_me(request), article=article, approve=False, note=request.POST.get("note"), request=request
            ),
        }
        if action not in runs:
            return page("请选择要执行的操作", 422)
        result = _attempt(request, page, runs[action])
        if isinstance(result, HttpResponse):
            return result
        return redirect("services:draft", services_draft_id=article.pk)
    return page()


# --- consultation -----------------------------------------------------------------------------------------------


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


# --- mentors ----------------------------------------------------------------------------------------------------


@roles(Role.CITIZEN)
def mentor_match(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user=_me(request)).first()
    context: dict[str, Any] = {"person": person}
    if person is not None:
        founder = matching.founder_profile(person, timezone.localdate())
        context |= {
            "founder": founder,
            "stage": matching.STAGES[founder.stage],
            "industry": matching.INDUSTRIES.get(founder.industry, ""),
            "groups": [KEY_GROUPS.get(g, g) for g in sorted(founder.groups)],
            "matches": matching.rank_mentors(founder),
        }

    def page(error: str = "", status: int = 200) -> HttpResponse:
        return _render(request, "services/mentor_match.html", {**context, "error": error}, status=status)

    if request.method == "POST":
        if person is None:
            return page("您的账号尚未关联个人信息，请先完善个人资料", 422)
        result = _attempt(
            request,
            page,
            lambda: actions.mentor_assign(
                actor=_me(request), person=person, mentor_id=request.POST.get("mentor"), request=request
            ),
        )
        if isinstance(result, HttpResponse):
            return result
        messages.success(request, f"已与导师{result.mentor.name}建立对接，导师将在7日内主动联系您")
        return redirect("services:assignment", services_assignment_id=result.pk)
    return page()


@signed_in
def mentoring(request: HttpRequest) -> HttpResponse:
    rows = access.assignments_for(_me(request)).select_related("mentor", "person")
    if request.GET.get("key") == "1":
        rows = rows.filter(key_project=True)
    today = timezone.localdate()
    return _render(
        request,
        "services/mentoring.html",
        {"assignments": rows[:200], "today": today, "soon": today + dt.timedelta(days=actions.REMIND_AHEAD_DAYS)},
    )


@signed_in
def assignment_page(request: HttpRequest, services_assignment_id: int) -> HttpResponse:
    item = access.access_assignment_by_id(_me(request), services_assignment_id)
    user = _me(request)
    active = item.state == Assignment.State.ACTIVE
    context: dict[str, Any] = {
        "assignment": item,
        "logs": item.logs.select_related("author"),
        "visit_types": ServiceLog.VisitType.choices,
        "today": timezone.localdate(),
        "is_mentor": item.mentor.user_id == user.pk,
        "is_founder": item.person.user_id == user.pk,
        "is_staff": _is_staff(user),
        "active": active,
    }

    def page(error: str = "", status: int = 200) -> HttpResponse:
        return _render(request, "services/assignment.html", {**context, "error": error}, status=status)

    if request.method == "POST":
        action, post = request.POST.get("action", ""), request.POST
        runs: dict[str, Callable[[], Any]] = {
            "log": lambda: actions.service_log_add(
                actor=user,
                assignment=item,
                visit_type=post.get("visit_type", ""),
                visited_on=post.get("visited_on"),
                notes=post.get("notes"),
                next_step=post.get("next_step"),
                next_visit_on=post.get("next_visit_on"),
                request=request,
            ),
            "rate": lambda: actions.assignment_rate(
                actor=user, assignment=item, rating=post.get("rating"), comment=post.get("comment"), request=request
            ),
            "key_project": lambda: actions.assignment_key_project(
                actor=user, assignment=item, key_project=post.get("key_project") == "1", request=request
            ),
            "end": lambda: actions.assignment_end(actor=user, assignment=item, request=request),
        }
        if action not in runs:
            return page("请选择要执行的操作", 422)
        result = _attempt(request, page, runs[action])
        if isinstance(result, HttpResponse):
            return result
        return redirect("services:assignment", services_assignment_id=item.pk)
    return page()


def _mentor_form_context() -> dict[str, Any]:
    return {"industries": Industry.choices, "stages": matching.STAGES.items(), "groups": KEY_GROUPS.items()}


@roles(Role.OFFICER, Role.SUPERVISOR)
def mentor_registry(request: HttpRequest) -> HttpResponse:
    mentors = matching.mentors_with_load().filter(pk__in=access.mentors_for(_me(request)).values("pk"))
    context: dict[str, Any] = {**_mentor_form_context(), "mentors": mentors, "data": {}}
    if request.method == "POST":
        context["data"] = request.POST
        try:
            actions.mentor_register(
                actor=_me(request),
                username=request.POST.get("username"),
                data=request.POST,
                industries=request.POST.getlist("industries"),
                stages=request.POST.getlist("stages"),
                groups=request.POST.getlist("groups"),
                request=request,
            )
        except DomainError as error:
            return _render(request, "services/mentors.html", {**context, "error": error.message}, status=error.status)
        messages.success(request, "已登记导师")
        return redirect("services:mentors")
    return _render(request, "services/mentors.html", context)


@roles(Role.MENTOR)
def mentor_profile(request: HttpRequest) -> HttpResponse:
    mentor = Mentor.objects.filter(user=_me(request)).first()
    context: dict[str, Any] = {**_mentor_form_context(), "mentor": mentor}
    if request.method == "POST" and mentor is not None:
        try:
            actions.mentor_update(
                actor=_me(request),
                mentor=mentor,
                data=request.POST,
                industries=request.POST.getlist("industries"),
                stages=request.POST.getlist("stages"),
                groups=request.POST.getlist("groups"),
                request=request,
            )
        except DomainError as error:
            return _render(
                request, "services/mentor_profile.html", {**context, "error": error.message}, status=error.status
            )
        messages.success(request, "已保存")
        return redirect("services:mentor_profile")
    return _render(request, "services/mentor_profile.html", context)


# --- hiring -----------------------------------------------------------------------------------------------------


@signed_in
def jobs(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[: search.MAX_QUERY]
    openings = Opening.objects.filter(state=Opening.State.OPEN).select_related("business")
    if query:
        tokens = search.query_tokens(query)
        openings = openings.filter(search.token_match(tokens)) if tokens else openings.none()
    profile = SeekerProfile.objects.filter(user=_me(request)).first()
    context: dict[str, Any] = {"query": query, "profile": profile}
    if profile is not None:
        context["matches"] = matching.rank_openings(profile, openings[:500])
    else:
        context["openings"] = openings[:100]
    context["mine"] = (
        Opening.objects.filter(business__founders__person__user=_me(request)).distinct()
        if _me(request).role == Role.CITIZEN
        else Opening.objects.none()
    )
    return _render(request, "services/jobs.html", context)


@roles(Role.CITIZEN)
def opening_new(request: HttpRequest) -> HttpResponse:
    businesses = businesses_for(_me(request)).filter(status=Business.Status.OPERATING)
    context: dict[str, Any] = {"businesses": businesses, "data": {}}
    if request.method == "POST":
        context["data"] = request.POST

        def page(error: str = "", status: int = 200) -> HttpResponse:
            return _render(request, "services/opening_new.html", {**context, "error": error}, status=status)

        business = businesses.filter(pk=actions.pk_of(request.POST.get("business"))).first()
        if business is None:
            return page("「经营主体」请选择本人创办的存续经营主体", 422)
        result = _attempt(
            request,
            page,
            lambda: actions.opening_post(actor=_me(request), business=business, data=request.POST, request=request),
        )
        if isinstance(result, HttpResponse):
            return result
        messages.success(request, "岗位已发布")
        return redirect("services:opening", services_opening_id=result.pk)
    return _render(request, "services/opening_new.html", context)


@roles(Role.CITIZEN)
def seeker_profile(request: HttpRequest) -> HttpResponse:
    profile = SeekerProfile.objects.filter(user=_me(request)).first()
    person = Person.objects.filter(user=_me(request)).first()
    data: Any = (
        request.POST
        if request.method == "POST"
        else {
            "desired_role": profile.desired_role if profile else "",
            "skills": profile.skills if profile else "",
            "expected_pay": profile.expected_pay if profile else "",
            "region_code": profile.region_code if profile else (person.region_code if person else ""),
        }
    )
    context = {"profile": profile, "data": data}
    if request.method == "POST":
        try:
            actions.seeker_profile_save(actor=_me(request), data=request.POST, request=request)
        except DomainError as error:
            return _render(
                request, "services/seeker_profile.html", {**context, "error": error.message}, status=error.status
            )
        messages.success(request, "求职信息已保存")
        return redirect("services:jobs")
    return _render(request, "services/seeker_profile.html", context)


@signed_in
def opening_page(request: HttpRequest, services_opening_id: int) -> HttpResponse:
    item = access.access_opening_by_id(_me(request), services_opening_id)
    user = _me(request)
    manages = access.manages_opening(user, item)
    profile = SeekerProfile.objects.filter(user=user).first()
    context: dict[str, Any] = {
        "opening": item,
        "manages": manages,
        "applications": item.applications.select_related("seeker__user", "fair").order_by("-score") if manages else [],
        "mine": JobApplication.objects.filter(opening=item, seeker__user=user).first(),
        "match": matching.score_opening(profile, item) if profile else None,
        "can_apply": user.role == Role.CITIZEN and not manages and item.state == Opening.State.OPEN,
        "outcomes": [(s, label) for s, label in JobApplication.State.choices if s != JobApplication.State.APPLIED],
    }

    def page(error: str = "", status: int = 200) -> HttpResponse:
        return _render(request, "services/opening.html", {**context, "error": error}, status=status)

    if request.method == "POST":
        action, post = request.POST.get("action", ""), request.POST
        runs: dict[str, Callable[[], Any]] = {
            "apply": lambda: actions.job_apply(actor=user, opening=item, request=request),
            "outcome": lambda: actions.application_update(
                actor=user,
                application_id=post.get("application"),
                state=post.get("state", ""),
                note=post.get("note"),
                request=request,
            ),
            "close": lambda: actions.opening_close(actor=user, opening=item, request=request),
        }
        if action not in runs:
            return page("请选择要执行的操作", 422)
        result = _attempt(request, page, runs[action])
        if isinstance(result, HttpResponse):
            return result
        return redirect("services:opening", services_opening_id=item.pk)
    return page()


@signed_in
def fairs(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"fairs": access.fairs_for(_me(request))[:100], "is_staff": _is_staff(_me(request))}
    if request.method == "POST":
        try:
            if not _is_staff(_me(request)):
                raise actions.forbidden("只有经办人员可以举办对接洽谈会")
            fair = actions.fair_create(actor=_me(request), data=request.POST, request=request)
        except DomainError as error:
            context["data"] = request.POST
            return _render(request, "services/fairs.html", {**context, "error": error.message}, status=error.status)
        return redirect("services:fair", services_fair_id=fair.pk)
    return _render(request, "services/fairs.html", context)


@signed_in
def fair_page(request: HttpRequest, services_fair_id: int) -> HttpResponse:
    item = access.access_fair_by_id(_me(request), services_fair_id)
    user = _me(request)
    manages = access.manages_fair(user, item)
    signups = item.signups.select_related("user", "business")
    employers = [s for s in signups if s.side == FairSignup.Side.EMPLOYER]
    context: dict[str, Any] = {
        "fair": item,
        "manages": manages,
        "employers": employers if manages else [],
        "seekers": [s for s in signups if s.side == FairSignup.Side.SEEKER] if manages else [],
        "openings": Opening.objects.filter(business_id__in=[s.business_id for s in employers], state=Opening.State.OPEN)
        if manages
        else [],
        "outcomes": item.outcomes.select_related("opening__business", "seeker__user") if manages else [],
        "my_signups": [s.get_side_display() for s in signups if s.user_id == user.pk],
        "my_businesses": businesses_for(user).filter(status=Business.Status.OPERATING)
        if user.role == Role.CITIZEN
        else [],
        "counts": {"employer": len(employers), "seeker": len(signups) - len(employers)},
        "states": [(s, label) for s, label in JobApplication.State.choices if s != JobApplication.State.APPLIED],
    }

    def page(error: str = "", status: int = 200) -> HttpResponse:
        return _render(request, "services/fair.html", {**context, "error": error}, status=status)

    if request.method == "POST":
        action, post = request.POST.get("action", ""), request.POST
        runs: dict[str, Callable[[], Any]] = {
            "signup": lambda: actions.fair_signup(
                actor=user, fair=item, side=post.get("side", ""), business_id=post.get("business"), request=request
            ),
            "outcome": lambda: actions.fair_record_outcome(
                actor=user,
                fair=item,
                opening_id=post.get("opening"),
                seeker_user_id=post.get("seeker"),
                state=post.get("state", ""),
                request=request,
            ),
        }
        if action not in runs:
            return page("请选择要执行的操作", 422)
        result = _attempt(request, page, runs[action])
        if isinstance(result, HttpResponse):
            return result
        return redirect("services:fair", services_fair_id=item.pk)
    return page()


@public
def home(request: HttpRequest) -> HttpResponse:
    """The one-stop entry: every service of plan 3 in one place."""
    return _render(
        request,
        "services/home.html",
        {
            "latest": access.published_articles()[:6],
            "faqs": FaqEntry.objects.all()[:6],
            "fairs": Fair.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at")[:3],
        },
    )
