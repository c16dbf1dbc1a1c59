"""The services home, the service catalogue and the information pages (articles, FAQ, editor)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from chuangye.accounts.access import public, roles
from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.core.models import Region
from chuangye.policies.catalogue import CATALOGUE
from chuangye.services import access, actions, catalogue, search
from chuangye.services.models import Article, Fair, FaqEntry
from chuangye.services.routing import TOPICS
from chuangye.services.views.common import _attempt, _me, _region_label, _render


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
