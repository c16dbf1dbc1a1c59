"""Services API: the catalogue and search are public; a founder's mentor matches need their account."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from chuangye.accounts.access import require_role
from chuangye.accounts.models import Role
from chuangye.core.errors import DomainError
from chuangye.registry.models import Person
from chuangye.services import access, catalogue, matching, search
from chuangye.services.models import FaqEntry

router = Router(tags=["创业服务"])


@router.get("/catalogue", auth=None, summary="创业服务功能手册（由办件类型与政策目录生成）")
def catalogue_list(request: HttpRequest, region: str = "") -> list[dict[str, Any]]:
    from chuangye.core.models import Region

    code = region if region and Region.objects.filter(code=region).exists() else ""
    result = []
    for category, services in catalogue.build(on=timezone.localdate(), region_code=code):
        for service in services:
            result.append(
                {
                    "category": category,
                    "code": service.code,
                    "title": service.title,
                    "source": service.source,
                    "conditions": service.conditions,
                    "materials": service.materials,
                    "time_limit": service.time_limit,
                    "mode": service.mode,
                    "where": service.where,
                    "basis": service.basis,
                    "parameters": service.parameters,
                }
            )
    return result


@router.get("/search", auth=None, summary="中文全文检索：已发布的政策、资讯、活动与常见问题")
def search_all(request: HttpRequest, q: str) -> dict[str, Any]:
    if not q.strip():
        raise DomainError(message="「检索词」不能为空", code="invalid_field")
    articles = search.search(access.published_articles(), q)
    faqs = search.search(FaqEntry.objects.all(), q)
    return {
        "tokens": search.query_tokens(q),
        "articles": [
            {"id": a.pk, "kind": a.kind, "title": a.title, "document_number": a.document_number} for a in articles
        ],
        "faq": [{"id": f.pk, "title": f.title} for f in faqs],
    }


@router.get("/mentor-matches", summary="为本人匹配创业导师（含评分说明）")
def mentor_matches(request: HttpRequest) -> list[dict[str, Any]]:
    require_role(request.user, {Role.CITIZEN})
    user: Any = request.user
    person = Person.objects.filter(user=user).first()
    if person is None:
        raise DomainError(message="账号尚未关联个人信息", code="no_person")
    founder = matching.founder_profile(person, timezone.localdate())
    return [
        {"mentor": m.target.pk, "name": m.target.name, "score": m.score, "explanation": m.explanation()}
        for m in matching.rank_mentors(founder)
    ]
