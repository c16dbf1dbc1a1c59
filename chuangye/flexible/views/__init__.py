"""Pages of plan 8: the public gig market, posting and taking gigs, the engagement page (confirm, complete, rate,
one-click complaint), the worker profile, registration, rights and subsidy forms, and the staff and partner desks.

The pages live in the modules of this package (``market``, ``citizen``, ``desks``; shared pieces in ``common``) and
are re-exported here for the URLs.
"""

from chuangye.flexible.views.citizen import me, profile_edit, registration_new, rights_new, subsidy
from chuangye.flexible.views.common import DEFAULT_POINT, GIG_FIELDS, REGISTRATION_FIELDS, STAFF
from chuangye.flexible.views.desks import (
    ZONE_FIELDS,
    counter,
    legal_aid_desk,
    reports,
    rights_desk,
    subsidy_desk,
    workbench,
    workers,
    zones_manage,
)
from chuangye.flexible.views.market import (
    employer_desk,
    engagement_detail,
    gig_detail,
    gig_new,
    market,
    statistics,
    zones,
)

__all__ = [
    "DEFAULT_POINT",
    "GIG_FIELDS",
    "REGISTRATION_FIELDS",
    "STAFF",
    "ZONE_FIELDS",
    "counter",
    "employer_desk",
    "engagement_detail",
    "gig_detail",
    "gig_new",
    "legal_aid_desk",
    "market",
    "me",
    "profile_edit",
    "registration_new",
    "reports",
    "rights_desk",
    "rights_new",
    "statistics",
    "subsidy",
    "subsidy_desk",
    "workbench",
    "workers",
    "zones",
    "zones_manage",
]
