"""Permission-checked fetches for the services app. Out-of-scope objects answer 404 exactly like missing ones.

Who sees what:
- questions: the asker; officers and supervisors whose region covers the question's region; staff of the partner
  organisation the question was routed to (legal aid).
- mentoring assignments: the founder, the mentor, and staff whose region covers the founder's region.
- openings: every signed-in account sees open ones (they are meant to be found); the posting business's founders
  and staff of its region also see closed ones. Applications: the seeker, the business's founders, regional staff.
- articles being edited: staff of the article's region. Published articles and the FAQ are public.
- matchmaking fairs: every signed-in account (they register), managed by staff of the fair's region.
"""

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from chuangye.accounts.access import region_filter
from chuangye.accounts.models import Role
from chuangye.services.models import Article, Assignment, Fair, JobApplication, Mentor, Opening, Question

M = TypeVar("M", bound=Model)


def _get(queryset: QuerySet[M], pk: object) -> M:
    try:
        return queryset.get(pk=int(str(pk)))
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或无权访问") from None


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def questions_for(user: Any) -> QuerySet[Question]:
    if not _signed_in(user):
        return Question.objects.none()
    if user.role == Role.CITIZEN:
        return Question.objects.filter(asker=user)
    if user.role == Role.PARTNER and user.organisation_id:
        return Question.objects.filter(organisation_id=user.organisation_id)
    scope = region_filter(user)
    return Question.objects.filter(scope) if scope is not None else Question.objects.none()


def access_question_by_id(user: Any, question_id: object) -> Question:
    return _get(questions_for(user).select_related("asker", "organisation"), question_id)


def can_answer(user: Any, question: Question) -> bool:
    """Staff of the question's region, or the partner organisation it was routed to."""
    if user.role == Role.PARTNER:
        return question.organisation_id is not None and question.organisation_id == user.organisation_id
    return user.role in (Role.OFFICER, Role.SUPERVISOR) and questions_for(user).filter(pk=question.pk).exists()


def assignments_for(user: Any) -> QuerySet[Assignment]:
    if not _signed_in(user):
        return Assignment.objects.none()
    if user.role == Role.CITIZEN:
        return Assignment.objects.filter(person__user=user)
    if user.role == Role.MENTOR:
        return Assignment.objects.filter(mentor__user=user)
    scope = region_filter(user)
    return Assignment.objects.filter(scope) if scope is not None else Assignment.objects.none()


def access_assignment_by_id(user: Any, assignment_id: object) -> Assignment:
    return _get(assignments_for(user).select_related("mentor", "person", "business"), assignment_id)


def mentors_for(user: Any) -> QuerySet[Mentor]:
    """The registry as staff manage it: mentors serving inside their region."""
    scope = region_filter(user) if _signed_in(user) else None
    return Mentor.objects.filter(scope) if scope is not None else Mentor.objects.none()


def _own_business(user: Any) -> Q:
    return Q(business__founders__person__user=user)


def openings_for(user: Any) -> QuerySet[Opening]:
    if not _signed_in(user):
        return Opening.objects.none()
    visible = Q(state=Opening.State.OPEN)
    if user.role == Role.CITIZEN:
        visible |= _own_business(user)
    else:
        scope = region_filter(user)
        if scope is not None:
            visible |= scope
    return Opening.objects.filter(visible).distinct()


def access_opening_by_id(user: Any, opening_id: object) -> Opening:
    return _get(openings_for(user).select_related("business"), opening_id)


def manages_opening(user: Any, opening: Opening) -> bool:
    """The business's founders, and staff whose region covers the opening."""
    if user.role == Role.CITIZEN:
        return opening.business.founders.filter(person__user=user).exists()
    scope = region_filter(user)
    return scope is not None and Opening.objects.filter(scope, pk=opening.pk).exists()


def applications_for(user: Any) -> QuerySet[JobApplication]:
    if not _signed_in(user):
        return JobApplication.objects.none()
    if user.role == Role.CITIZEN:
        return JobApplication.objects.filter(
            Q(seeker__user=user) | Q(opening__business__founders__person__user=user)
        ).distinct()
    scope = region_filter(user, "opening__region_code")
    return JobApplication.objects.filter(scope) if scope is not None else JobApplication.objects.none()


def editable_articles_for(user: Any) -> QuerySet[Article]:
    scope = region_filter(user) if _signed_in(user) else None
    return Article.objects.filter(scope) if scope is not None else Article.objects.none()


def access_draft_by_id(user: Any, article_id: object) -> Article:
    return _get(editable_articles_for(user), article_id)


def published_articles() -> QuerySet[Article]:
    return Article.objects.filter(state=Article.State.PUBLISHED)


def access_published_by_id(article_id: object) -> Article:
    return _get(published_articles(), article_id)


def fairs_for(user: Any) -> QuerySet[Fair]:
    return Fair.objects.all() if _signed_in(user) else Fair.objects.none()


def access_fair_by_id(user: Any, fair_id: object) -> Fair:
    return _get(fairs_for(user), fair_id)


def manages_fair(user: Any, fair: Fair) -> bool:
    scope = region_filter(user)
    return scope is not None and Fair.objects.filter(scope, pk=fair.pk).exists()
