"""KPIs of the registry: people registered, key groups certified, new founders and businesses."""

import datetime as dt
from typing import Any

from django.db.models import F, Q, QuerySet

from chuangye.reporting.definitions.base import REGISTRY_TOPIC, _count_of, _date, _masked_person
from chuangye.reporting.kpi import COUNT, KPI, Column, count, day_range, moment_range, register


def _people_new(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.registry.models import Person

    return Person.objects.filter(moment_range("created_at", start, end))


def _people_total(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.registry.models import Person

    return Person.objects.filter(moment_range("created_at", dt.date(1900, 1, 1), end), anonymised_at__isnull=True)


_PERSON_COLUMNS = (
    Column("姓名（身份证号）", _masked_person),
    Column("常住地", lambda p: p.region_code),
    Column("登记日期", lambda p: _date(p.created_at)),
)

register(
    KPI(
        code="registry.people_new",
        label="新增登记人员",
        topic=REGISTRY_TOPIC,
        kind=COUNT,
        unit="人",
        formula="统计期内新建档的登记人员人数，按常住地归属地区",
        sources=("registry_person",),
        rows=_people_new,
        region="region_code",
        aggregates=_count_of(),
        columns=_PERSON_COLUMNS,
        order=10,
    )
)
register(
    KPI(
        code="registry.people_total",
        label="登记人员总数（期末）",
        topic=REGISTRY_TOPIC,
        kind=COUNT,
        unit="人",
        formula="统计期末已建档且未匿名化的登记人员人数，按常住地归属地区",
        sources=("registry_person",),
        rows=_people_total,
        region="region_code",
        aggregates=_count_of(),
        columns=_PERSON_COLUMNS,
        order=11,
    )
)


def _certified(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.registry.models import KeyGroupStatus

    return KeyGroupStatus.objects.filter(
        moment_range("decided_at", start, end), state=KeyGroupStatus.State.CERTIFIED
    ).select_related("person", "category")


register(
    KPI(
        code="registry.key_groups_certified",
        label="认定重点群体身份",
        topic=REGISTRY_TOPIC,
        kind=COUNT,
        unit="人次",
        formula="统计期内作出认定决定且现为“已认定”的重点群体身份数（一人多个群体分别计），按申报时常住地归属地区",
        sources=("registry_keygroupstatus", "registry_keygroupcategory"),
        rows=_certified,
        region="region_code",
        aggregates=_count_of(),
        dimension="重点群体",
        dimension_field="category__name",
        columns=(
            Column("姓名（身份证号）", lambda s: _masked_person(s.person)),
            Column("重点群体", lambda s: s.category.name),
            Column("有效期", lambda s: f"{_date(s.valid_from)}至{_date(s.valid_to) or '长期'}"),
            Column("认定日期", lambda s: _date(s.decided_at)),
        ),
        order=12,
    )
)


def _key_group_founders(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Founders of businesses registered in the period who, on the registration date, held a certified key-group
    status in force (valid_from ≤ date ≤ valid_to or open-ended). One filter call: the status conditions apply to
    the same status row, and the breakdown by group uses that same join."""
    from chuangye.registry.models import Founder, KeyGroupStatus

    return Founder.objects.filter(
        Q(person__key_groups__valid_to__isnull=True)
        | Q(person__key_groups__valid_to__gte=F("business__registered_on")),
        day_range("business__registered_on", start, end),
        person__key_groups__state=KeyGroupStatus.State.CERTIFIED,
        person__key_groups__valid_from__lte=F("business__registered_on"),
    ).select_related("person", "business")


register(
    KPI(
        code="registry.new_founders",
        label="重点群体新创业人数",
        topic=REGISTRY_TOPIC,
        kind=COUNT,
        unit="人",
        formula=(
            "统计期内成立的市场主体的投资人（经营者）中，成立之日持有已认定且在有效期内重点群体身份的人数（按人去重；"
            "分群体时一人属多个群体各计一次），按市场主体登记地归属地区"
        ),
        sources=("registry_business", "registry_founder", "registry_keygroupstatus"),
        rows=_key_group_founders,
        region="business__region_code",
        aggregates=lambda: {"value": count("person", distinct=True), "n": count("person", distinct=True)},
        dimension="重点群体",
        dimension_field="person__key_groups__category__name",
        columns=(
            Column("姓名（身份证号）", lambda f: _masked_person(f.person)),
            Column("市场主体", lambda f: f.business.name),
            Column("成立日期", lambda f: _date(f.business.registered_on)),
            Column("登记地", lambda f: f.business.region_code),
        ),
        order=13,
    )
)


def _businesses_new(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.registry.models import Business

    return Business.objects.filter(day_range("registered_on", start, end))


register(
    KPI(
        code="registry.businesses_new",
        label="新登记市场主体",
        topic=REGISTRY_TOPIC,
        kind=COUNT,
        unit="户",
        formula="统计期内成立的市场主体户数（企业、个体工商户、农民专业合作社），按登记地归属地区",
        sources=("registry_business",),
        rows=_businesses_new,
        region="region_code",
        aggregates=_count_of(),
        dimension="主体类型",
        dimension_field="kind",
        dimension_label=lambda v: {
            "enterprise": "企业",
            "individual": "个体工商户",
            "cooperative": "农民专业合作社",
        }.get(v, v),
        columns=(
            Column("名称", lambda b: b.name),
            Column("统一社会信用代码", lambda b: b.credit_code),
            Column("成立日期", lambda b: _date(b.registered_on)),
            Column("登记地", lambda b: b.region_code),
        ),
        order=14,
    )
)
