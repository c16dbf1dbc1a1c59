"""Pages of the services app: catalogue, information, consultation, mentors, hiring and matchmaking fairs.

Views only read requests, call ``actions`` and fetch through ``access``; a refusal (``DomainError``) re-renders the
page with its Chinese message and status. The pages live per topic in the modules of this package (``information``,
``consultation``, ``mentors``, ``hiring``; the shared frame in ``common``) and are re-exported here for the URLs.
"""

from chuangye.services.views.common import STAFF
from chuangye.services.views.consultation import ask, question, questions
from chuangye.services.views.hiring import fair_page, fairs, jobs, opening_new, opening_page, seeker_profile
from chuangye.services.views.information import (
    article_page,
    catalogue_page,
    catalogue_pdf,
    draft,
    editor,
    faq,
    home,
    info,
)
from chuangye.services.views.mentors import assignment_page, mentor_match, mentor_profile, mentor_registry, mentoring

__all__ = [
    "STAFF",
    "article_page",
    "ask",
    "assignment_page",
    "catalogue_page",
    "catalogue_pdf",
    "draft",
    "editor",
    "fair_page",
    "fairs",
    "faq",
    "home",
    "info",
    "jobs",
    "mentor_match",
    "mentor_profile",
    "mentor_registry",
    "mentoring",
    "opening_new",
    "opening_page",
    "question",
    "questions",
    "seeker_profile",
]
