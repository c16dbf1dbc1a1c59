"""Information publishing actions: articles through drafting, review and publication, and event sign-ups."""

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from chuangye.accounts.models import Role, User
from chuangye.core.audit import record_event
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.inbox.actions import notify
from chuangye.policies.catalogue import CATALOGUE
from chuangye.services import access, search
from chuangye.services.actions.common import _datetime, _int, _text, forbidden
from chuangye.services.models import Article, EventSignup


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
