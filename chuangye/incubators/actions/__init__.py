"""Every state change of the incubators app: one function each, atomic, audited.

Concurrency: allocations lock the carrier's row (so two officers cannot both give away the last non-reserved space)
and the database keeps one open contract per space; bookings lock the equipment's row before looking for overlaps,
so two people cannot book the same slot at once (PostgreSQL ``SELECT … FOR UPDATE``; SQLite runs write
transactions one at a time, ``transaction_mode=IMMEDIATE``).

The functions live in the modules of this package (``carriers``, ``applications``, ``contracts``; shared helpers in
``common``) and are re-exported here, so callers import them from ``chuangye.incubators.actions``.
"""

from chuangye.incubators.actions.applications import (
    ahead_of,
    application_allocate,
    application_refuse,
    application_submit,
    application_waitlist,
    on_case_transition,
    score_for,
)
from chuangye.incubators.actions.carriers import (
    board_post_close,
    board_post_create,
    booking_cancel,
    booking_create,
    carrier_create,
    carrier_event_add,
    carrier_update,
    equipment_add,
    space_add,
    space_set_available,
)
from chuangye.incubators.actions.common import BOOKING_HORIZON_DAYS, MAX_BOOKING_HOURS, MAX_START_DELAY_DAYS
from chuangye.incubators.actions.contracts import (
    contract_end,
    contract_move_in,
    contract_report_jobs,
    evaluation_record,
    survey_submit,
)

__all__ = [
    "BOOKING_HORIZON_DAYS",
    "MAX_BOOKING_HOURS",
    "MAX_START_DELAY_DAYS",
    "ahead_of",
    "application_allocate",
    "application_refuse",
    "application_submit",
    "application_waitlist",
    "board_post_close",
    "board_post_create",
    "booking_cancel",
    "booking_create",
    "carrier_create",
    "carrier_event_add",
    "carrier_update",
    "contract_end",
    "contract_move_in",
    "contract_report_jobs",
    "equipment_add",
    "evaluation_record",
    "on_case_transition",
    "score_for",
    "space_add",
    "space_set_available",
    "survey_submit",
]
