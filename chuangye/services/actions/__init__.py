"""Every change the services app makes: one function each, in a transaction, with an audit event.

The functions live per workflow in the modules of this package (``consultation``, ``mentors``, ``hiring``,
``fairs``, ``publishing``; shared limits and parsers in ``common``) and are re-exported here, so callers import
them from ``chuangye.services.actions``.
"""

from chuangye.services.actions.common import (
    FIRST_CONTACT_DAYS,
    KEY_PROJECT_INTERVAL_DAYS,
    MAX_BODY,
    QUESTION_FILES,
    REMIND_AHEAD_DAYS,
    forbidden,
    pk_of,
)
from chuangye.services.actions.consultation import (
    faq_promote,
    overdue_questions_send,
    question_answer,
    question_ask,
    question_follow_up,
    question_rate,
)
from chuangye.services.actions.fairs import fair_create, fair_record_outcome, fair_signup
from chuangye.services.actions.hiring import (
    application_update,
    job_apply,
    opening_close,
    opening_post,
    seeker_profile_save,
)
from chuangye.services.actions.mentors import (
    assignment_end,
    assignment_key_project,
    assignment_rate,
    mentor_assign,
    mentor_register,
    mentor_update,
    service_log_add,
    visit_reminders_send,
)
from chuangye.services.actions.publishing import article_review, article_save, article_submit, event_signup

__all__ = [
    "FIRST_CONTACT_DAYS",
    "KEY_PROJECT_INTERVAL_DAYS",
    "MAX_BODY",
    "QUESTION_FILES",
    "REMIND_AHEAD_DAYS",
    "application_update",
    "article_review",
    "article_save",
    "article_submit",
    "assignment_end",
    "assignment_key_project",
    "assignment_rate",
    "event_signup",
    "fair_create",
    "fair_record_outcome",
    "fair_signup",
    "faq_promote",
    "forbidden",
    "job_apply",
    "mentor_assign",
    "mentor_register",
    "mentor_update",
    "opening_close",
    "opening_post",
    "overdue_questions_send",
    "pk_of",
    "question_answer",
    "question_ask",
    "question_follow_up",
    "question_rate",
    "seeker_profile_save",
    "service_log_add",
    "visit_reminders_send",
]
