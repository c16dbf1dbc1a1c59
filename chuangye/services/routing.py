"""Routing a citizen's question to the office that must answer it, and the working-day time limit it runs under.

The topic decides the desk (科室) and the time limit; the region (the asker's usual residence, or the place the
question is about) decides which county's office. Legal and rights questions go to a legal-aid body of that
county (or, failing one, of its city) when the platform has one; otherwise to the county bureau's desk.
"""

import datetime as dt
from dataclasses import dataclass

from chuangye.accounts.models import Organisation
from chuangye.core.models import Region
from chuangye.core.regions import significant_prefix
from chuangye.core.workdays import add_workdays


@dataclass(frozen=True)
class Topic:
    code: str
    label: str
    desk: str  # the bureau's desk that answers
    time_limit_workdays: int
    partner_kind: str = ""  # an organisation kind that answers instead, where one serves the region


TOPICS: dict[str, Topic] = {
    t.code: t
    for t in (
        Topic("policy", "创业扶持政策", "就业创业科", 5),
        Topic("loan", "创业担保贷款", "创业担保贷款窗口", 3),
        Topic("registration", "市场主体登记", "政务服务窗口", 3),
        Topic("training", "创业培训", "职业能力建设科", 5),
        Topic("incubation", "创业孵化与场地", "就业创业科", 5),
        Topic("hiring", "招聘用工", "公共就业服务中心", 5),
        Topic("legal", "法律与维权", "劳动保障监察机构", 5, partner_kind=Organisation.Kind.LEGAL_AID),
        Topic("other", "其他", "就业创业科", 5),
    )
}


@dataclass(frozen=True)
class Route:
    topic: Topic
    region_code: str
    office: str
    organisation: Organisation | None
    due_on: dt.date
    provisional: bool


def region_name(code: str) -> str:
    found = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return found or f"行政区划{code}"


def _partner(kind: str, region_code: str) -> Organisation | None:
    """The nearest active organisation of ``kind``: in the county, else in its city."""
    prefix = significant_prefix(region_code)
    for scope in (region_code, prefix[:4] + "00"):
        found = Organisation.objects.filter(kind=kind, is_active=True, region_code=scope).order_by("pk").first()
        if found is not None:
            return found
    return None


def route(topic_code: str, region_code: str, asked_on: dt.date) -> Route:
    """Where a question on ``topic_code`` from ``region_code`` goes and by when it must be answered."""
    topic = TOPICS[topic_code]
    organisation = _partner(topic.partner_kind, region_code) if topic.partner_kind else None
    if organisation is not None:
        office = organisation.name
    else:
        office = f"{region_name(region_code)}人力资源和社会保障局{topic.desk}"
    due = add_workdays(asked_on, topic.time_limit_workdays)
    return Route(topic, region_code, office, organisation, due.date, due.provisional)
