"""Every state change of the training app: one function each, in a transaction, audited.

Listing institutions and trainers, applying to open a class (a ``training.class`` case), enrolment with a waiting
list, roster upload, attendance by staff entry or a per-session QR code, completion and certificates, subsidy claims
with a public notice period, and trainer competitions. The functions live per workflow in the modules of this package
(``classes``, ``enrolment``, ``attendance``, ``claims``, ``competitions``; shared helpers in ``common``) and are
re-exported here, so callers import them from ``chuangye.training.actions``.
"""

from chuangye.training.actions.attendance import (
    assessment_record,
    attendance_check_in,
    attendance_enter,
    attendance_rate,
    class_complete,
    qr_renew,
    qr_token,
    session_for_token,
)
from chuangye.training.actions.claims import (
    claim_approve,
    claim_line_reject,
    claim_refuse,
    claim_start_notice,
    claim_submit,
    first_business_date,
    line_outcome,
)
from chuangye.training.actions.classes import (
    class_apply,
    institution_list,
    on_class_decided,
    parse_sessions,
    trainer_register,
)
from chuangye.training.actions.common import MAX_CAPACITY, POLICY, QR_EARLY, QR_LATE, QR_SALT, param_value
from chuangye.training.actions.competitions import (
    AWARDS,
    competition_add_entrant,
    competition_add_judge,
    competition_create,
    competition_publish,
    score_submit,
    trimmed_mean,
)
from chuangye.training.actions.enrolment import ROSTER_HEADERS, enrol, enrolment_cancel, roster_upload

__all__ = [
    "AWARDS",
    "MAX_CAPACITY",
    "POLICY",
    "QR_EARLY",
    "QR_LATE",
    "QR_SALT",
    "ROSTER_HEADERS",
    "assessment_record",
    "attendance_check_in",
    "attendance_enter",
    "attendance_rate",
    "claim_approve",
    "claim_line_reject",
    "claim_refuse",
    "claim_start_notice",
    "claim_submit",
    "class_apply",
    "class_complete",
    "competition_add_entrant",
    "competition_add_judge",
    "competition_create",
    "competition_publish",
    "enrol",
    "enrolment_cancel",
    "first_business_date",
    "institution_list",
    "line_outcome",
    "on_class_decided",
    "param_value",
    "parse_sessions",
    "qr_renew",
    "qr_token",
    "roster_upload",
    "score_submit",
    "session_for_token",
    "trainer_register",
    "trimmed_mean",
]
