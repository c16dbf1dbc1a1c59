"""Every state change of plan 8: one function each, atomic, audited, checked against the actor's scope.

Gig market (``gigs``, ``market``): post, review, close, take, confirm, complete, rate, report, block. Rights
protection (``rights``): submit (one click from an engagement), refer to legal aid. Registration (``registration``):
online and counter submissions, the certificate on approval. Social-insurance subsidy (``subsidy``): the one-time
application, periodic claims, payment batches. Shared parsers and checks are in ``common``; every public name is
re-exported here, so callers import from ``chuangye.flexible.actions``.
"""

from chuangye.flexible.actions.common import MAX_CLAIM_MONTHS, MAX_HEADCOUNT, is_blocked
from chuangye.flexible.actions.gigs import (
    engagement_cancel,
    engagement_complete,
    engagement_confirm,
    engagement_rate,
    gig_close,
    gig_post,
    gig_review,
    gig_take,
    profile_save,
)
from chuangye.flexible.actions.market import block_lift, market_setting_save, report_create, report_handle, zone_save
from chuangye.flexible.actions.registration import (
    certificate_issue,
    on_registration_transition,
    registration_counter,
    registration_submit,
)
from chuangye.flexible.actions.rights import on_rights_transition, rights_refer, rights_submit
from chuangye.flexible.actions.subsidy import (
    batch_create,
    batch_pay,
    claim_decide,
    claim_submit,
    enrolment_refusal,
    enrolment_submit,
    on_enrolment_decided,
)

__all__ = [
    "MAX_CLAIM_MONTHS",
    "MAX_HEADCOUNT",
    "batch_create",
    "batch_pay",
    "block_lift",
    "certificate_issue",
    "claim_decide",
    "claim_submit",
    "engagement_cancel",
    "engagement_complete",
    "engagement_confirm",
    "engagement_rate",
    "enrolment_refusal",
    "enrolment_submit",
    "gig_close",
    "gig_post",
    "gig_review",
    "gig_take",
    "is_blocked",
    "market_setting_save",
    "on_enrolment_decided",
    "on_registration_transition",
    "on_rights_transition",
    "profile_save",
    "registration_counter",
    "registration_submit",
    "report_create",
    "report_handle",
    "rights_refer",
    "rights_submit",
    "zone_save",
]
