"""KPIs of flexible employment and the gig market (零工市场): gigs, placements, vacancy ratio, SI subsidy."""

import datetime as dt
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from chuangye.reporting.definitions.base import FLEXIBLE_TOPIC, _count_of, _date, _masked_person, _money_of
from chuangye.reporting.kpi import COUNT, KPI, MONEY, RATIO, Column, count, moment_range, register


def _job_type_label(code: str) -> str:
    from chuangye.flexible.taxonomy import JOB_TYPES, label_of

    return label_of(code) if code in JOB_TYPES else code


def _gigs_published(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Postings published in the period: an employer's when posted, an individual's when approved (its review time).
    Published and since closed both count (the flexible statistics' "postings"); rejected, pending and blocked
    (taken down) do not."""
    from chuangye.flexible.models import Gig

    return Gig.objects.alias(_published_at=Coalesce("reviewed_at", "created_at")).filter(
        moment_range("_published_at", start, end), status__in=[Gig.Status.PUBLISHED, Gig.Status.CLOSED]
    )


register(
    KPI(
        code="flexible.gigs_published",
        label="发布零工岗位",
        topic=FLEXIBLE_TOPIC,
        kind=COUNT,
        unit="个",
        formula=(
            "统计期内发布的零工岗位数（用人单位发布即上架，个人雇主岗位以审核通过时间计；现已关闭的仍计，"
            "审核未通过、待审核和被屏蔽下架的不计），按工作地点所在区县归属地区；可按工种分列"
        ),
        sources=("flexible_gig",),
        rows=_gigs_published,
        region="region_code",
        aggregates=_count_of(),
        dimension="工种",
        dimension_field="job_type",
        dimension_label=_job_type_label,
        columns=(
            Column("岗位", lambda g: g.title),
            Column("工种", lambda g: _job_type_label(g.job_type)),
            Column("发布方", lambda g: g.poster_name),
            Column("工作日期", lambda g: _date(g.work_date)),
            Column("招用人数", lambda g: g.headcount),
            Column("状态", lambda g: g.get_status_display()),
        ),
        order=70,
    )
)


def _placements(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """即时快招 engagements both sides confirmed complete in the period."""
    from chuangye.flexible.models import Engagement

    return Engagement.objects.filter(
        moment_range("completed_at", start, end), status=Engagement.Status.COMPLETED
    ).select_related("gig", "worker__worker_profile__person")


def _worker(engagement: Any) -> str:
    profile = getattr(engagement.worker, "worker_profile", None)
    return _masked_person(profile.person) if profile is not None else "—"


_PLACEMENT_COLUMNS = (
    Column("岗位", lambda e: e.gig.title),
    Column("工种", lambda e: _job_type_label(e.gig.job_type)),
    Column("零工（身份证号）", _worker),
    Column("完工日期", lambda e: _date(e.completed_at)),
)
_PLACEMENT_COMMON: dict[str, Any] = {
    "topic": FLEXIBLE_TOPIC,
    "sources": ("flexible_engagement", "flexible_gig"),
    "region": "gig__region_code",
    "dimension": "工种",
    "dimension_field": "gig__job_type",
    "dimension_label": _job_type_label,
    "columns": _PLACEMENT_COLUMNS,
}
register(
    KPI(
        code="flexible.placements",
        label="零工成功对接（完工）",
        kind=COUNT,
        unit="人次",
        formula="统计期内雇主与零工双方确认完工的接单数（一人完成两个岗位计两次），按岗位所在区县归属地区",
        rows=_placements,
        aggregates=_count_of(),
        order=71,
        **_PLACEMENT_COMMON,
    )
)


def _hard_to_place_placements(start: dt.date, end: dt.date) -> QuerySet[Any]:
    # The profile must exist: ``exclude`` across a missing one-to-one row would keep workers without a profile.
    return (
        _placements(start, end)
        .filter(worker__worker_profile__isnull=False)
        .exclude(worker__worker_profile__hard_to_place=[])
    )


register(
    KPI(
        code="flexible.hard_to_place_placed",
        label="困难零工人员实现对接",
        kind=COUNT,
        unit="人",
        formula=(
            "统计期内至少完工一次的零工中，求职档案登记了困难类别（长期失业、低收入家庭、残疾人、大龄人员）的人数"
            "（按人去重；困难类别取档案现状）"
        ),
        rows=_hard_to_place_placements,
        aggregates=lambda: {"value": count("worker", distinct=True), "n": count("worker", distinct=True)},
        order=72,
        **(_PLACEMENT_COMMON | {"sources": ("flexible_engagement", "flexible_gig", "flexible_workerprofile")}),
    )
)


def _market_regions(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """求人倍率 as the flexible app's statistics compute it (``flexible.selectors.market_statistics``): open
    vacancies (headcount less taken, of published postings still valid) ÷ workers seeking now. It is a reading of
    the market at the moment of computing, whatever the period: the platform keeps no history of vacancies or
    seekers, so past months cannot be rebuilt (the monthly snapshot keeps each month's reading). One row per region
    of the regions table with each total as a correlated subquery on that exact code, so a comparison of
    sub-regions stays one grouped query; regions with neither vacancies nor seekers are left out."""
    from chuangye.core.models import Region
    from chuangye.flexible.access import open_gigs
    from chuangye.flexible.models import WorkerProfile

    vacancies = (
        open_gigs()
        .filter(region_code=OuterRef("code"))
        .order_by()
        .values("region_code")
        .annotate(total=Sum(F("headcount") - F("taken")))
        .values("total")
    )
    seekers = (
        WorkerProfile.objects.filter(region_code=OuterRef("code"), is_seeking=True)
        .order_by()
        .values("region_code")
        .annotate(total=Count("pk"))
        .values("total")
    )
    zero = Value(0, output_field=IntegerField())
    return Region.objects.annotate(
        vacancies=Coalesce(Subquery(vacancies, output_field=IntegerField()), zero),
        seekers=Coalesce(Subquery(seekers, output_field=IntegerField()), zero),
    ).filter(Q(vacancies__gt=0) | Q(seekers__gt=0))


register(
    KPI(
        code="flexible.vacancy_ratio",
        label="零工市场求人倍率（当前）",
        topic=FLEXIBLE_TOPIC,
        kind=RATIO,
        unit="倍",
        formula=(
            "当前在架零工岗位的空缺人数（招用人数减已接单人数）÷ 当前正在找活的零工求职者人数，与零工市场统计页"
            "口径一致；为计算时点的市场读数，不随所选统计期变化（平台不保存历史空缺和求职人数，月报快照保留每月读数）"
        ),
        sources=("flexible_gig", "flexible_workerprofile", "core_region"),
        rows=_market_regions,
        region="code",
        aggregates=lambda: {
            "num": Coalesce(Sum("vacancies"), 0),
            "den": Coalesce(Sum("seekers"), 0),
            "n": Coalesce(Sum("seekers"), 0),
        },
        columns=(
            Column("行政区划", lambda r: f"{r.name}（{r.code}）"),
            Column("空缺人数", lambda r: r.vacancies),
            Column("求职人数", lambda r: r.seekers),
        ),
        order=73,
    )
)


def _registrations_approved(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.flexible.models import EmploymentRegistration

    return EmploymentRegistration.objects.filter(
        moment_range("case__decided_at", start, end), case__state="approved"
    ).select_related("case", "person")


register(
    KPI(
        code="flexible.registrations_approved",
        label="办理就业失业登记",
        topic=FLEXIBLE_TOPIC,
        kind=COUNT,
        unit="件",
        formula="统计期内准予登记（办结）的就业登记和失业登记件数，按登记地（户籍地或常住地）归属地区；可按登记类型分列",
        sources=("flexible_employmentregistration", "cases_case"),
        rows=_registrations_approved,
        region="region_code",
        aggregates=_count_of(),
        dimension="登记类型",
        dimension_field="kind",
        dimension_label=lambda v: {"employment": "就业登记", "unemployment": "失业登记"}.get(v, v),
        columns=(
            Column("办件编号", lambda r: r.case.number),
            Column("姓名（身份证号）", lambda r: _masked_person(r.person)),
            Column("登记类型", lambda r: r.get_kind_display()),
            Column("登记地", lambda r: r.region_code),
            Column("办结日期", lambda r: _date(r.case.decided_at)),
        ),
        order=74,
    )
)


def _si_paid(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Social-insurance subsidy claims paid: their payment batch was confirmed paid in the period (the month of
    payment, not the months subsidised)."""
    from chuangye.flexible.models import SubsidyClaim

    return SubsidyClaim.objects.filter(
        moment_range("batch__paid_at", start, end), status=SubsidyClaim.Status.PAID
    ).select_related("batch", "enrolment__person")


_SI_COMMON: dict[str, Any] = {
    "topic": FLEXIBLE_TOPIC,
    "sources": ("flexible_subsidyclaim", "flexible_paymentbatch", "flexible_subsidyenrolment"),
    "rows": _si_paid,
    "region": "region_code",
    "columns": (
        Column("姓名（身份证号）", lambda c: _masked_person(c.enrolment.person)),
        Column("补贴月份", lambda c: f"{c.first_month:%Y-%m}至{c.last_month:%Y-%m}"),
        Column("补贴（元）", lambda c: f"{c.amount:.2f}" if c.amount is not None else ""),
        Column("批次", lambda c: c.batch.number if c.batch_id else ""),
        Column("拨付日期", lambda c: _date(c.batch.paid_at) if c.batch_id else ""),
    ),
}
register(
    KPI(
        code="flexible.si_subsidy_amount",
        label="拨付灵活就业社会保险补贴金额",
        kind=MONEY,
        unit="元",
        formula="统计期内拨付（批次确认拨付的月份）的灵活就业社会保险补贴金额合计，按申领地归属地区",
        aggregates=_money_of("amount"),
        order=75,
        **_SI_COMMON,
    )
)
register(
    KPI(
        code="flexible.si_subsidy_people",
        label="享受灵活就业社会保险补贴人数",
        kind=COUNT,
        unit="人",
        formula="统计期内获拨付灵活就业社会保险补贴的人数（按人去重），按申领地归属地区",
        aggregates=lambda: {
            "value": count("enrolment__person", distinct=True),
            "n": count("enrolment__person", distinct=True),
        },
        order=76,
        **_SI_COMMON,
    )
)
