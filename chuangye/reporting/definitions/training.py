"""KPIs of entrepreneurship training (创业培训): attendances, certificates, subsidy and start-up rate."""

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from chuangye.reporting.definitions.base import TRAINING_TOPIC, _count_of, _date, _masked_person, _money_of
from chuangye.reporting.kpi import COUNT, KPI, MONEY, RATE, Column, count, day_range, moment_range, register

# The follow-up window of the training-to-start-up rate: the training app's ``training.followup_months`` parameter
# (platform default 6 months, DOMAIN §5). A figure is one query, so it cannot read a per-region parameter for each
# row: the KPI uses the default and says so in its formula.
FOLLOWUP_MONTHS = 6


def _course_label(code: str) -> str:
    from chuangye.policies.facts import COURSES

    return COURSES.get(code, code)


_COURSE_DIMENSION: dict[str, Any] = {"dimension": "课程", "dimension_label": _course_label}


def _attendances(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """培训人次: enrolments of classes that closed (结业) in the period whose trainee attended at least one session.
    A person in two classes counts twice; an enrolment with no recorded attendance does not count."""
    from chuangye.training.models import Attendance, Enrolment

    return Enrolment.objects.filter(
        moment_range("training_class__completed_at", start, end),
        Exists(Attendance.objects.filter(enrolment=OuterRef("pk"))),
    ).select_related("person", "training_class__institution__organisation")


register(
    KPI(
        code="training.attendances",
        label="创业培训人次",
        topic=TRAINING_TOPIC,
        kind=COUNT,
        unit="人次",
        formula=(
            "统计期内结业的创业培训班中，至少有一次签到（扫码或机构录入）记录的学员人次（一人参加两个班计两次；"
            "未签到的报名不计），按开班地归属地区；可按课程分列"
        ),
        sources=("training_enrolment", "training_attendance", "training_trainingclass"),
        rows=_attendances,
        region="training_class__region_code",
        aggregates=_count_of(),
        dimension_field="training_class__course",
        columns=(
            Column("姓名（身份证号）", lambda e: _masked_person(e.person)),
            Column("培训班", lambda e: e.training_class.title),
            Column("课程", lambda e: _course_label(e.training_class.course)),
            Column("培训机构", lambda e: e.training_class.institution.organisation.name),
            Column("结业日期", lambda e: _date(e.training_class.completed_at)),
        ),
        order=60,
        **_COURSE_DIMENSION,
    )
)


def _certificates(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.training.models import Certificate

    return Certificate.objects.filter(day_range("issued_on", start, end)).select_related("person")


_CERTIFICATE_COLUMNS = (
    Column("证书编号", lambda c: c.serial),
    Column("姓名（身份证号）", lambda c: _masked_person(c.person)),
    Column("课程", lambda c: _course_label(c.course)),
    Column("发证日期", lambda c: _date(c.issued_on)),
)
register(
    KPI(
        code="training.certificates",
        label="发放创业培训合格证书",
        topic=TRAINING_TOPIC,
        kind=COUNT,
        unit="本",
        formula="统计期内发放（按发证日期）的创业培训合格证书数，按开班地归属地区；可按课程分列",
        sources=("training_certificate",),
        rows=_certificates,
        region="region_code",
        aggregates=_count_of(),
        dimension_field="course",
        columns=_CERTIFICATE_COLUMNS,
        order=61,
        **_COURSE_DIMENSION,
    )
)


def _training_paid(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Claim lines paid: the bureau approved the claim's payment in the period (the training app records the
    approval as the payment; no transfer date exists)."""
    from chuangye.training.models import Claim, ClaimLine

    return ClaimLine.objects.filter(
        moment_range("claim__decided_at", start, end),
        claim__state=Claim.State.APPROVED,
        status=ClaimLine.Status.PAID,
    ).select_related("claim", "person")


_CLAIM_LINE_COLUMNS = (
    Column("申报编号", lambda ln: ln.claim.number),
    Column("姓名（身份证号）", lambda ln: _masked_person(ln.person)),
    Column("课程", lambda ln: _course_label(ln.course)),
    Column("补贴（元）", lambda ln: f"{ln.amount:.2f}"),
    Column("核准拨付日期", lambda ln: _date(ln.claim.decided_at)),
)
_TRAINING_PAID: dict[str, Any] = {
    "topic": TRAINING_TOPIC,
    "sources": ("training_claimline", "training_claim"),
    "rows": _training_paid,
    "region": "claim__region_code",
    "dimension_field": "course",
    "columns": _CLAIM_LINE_COLUMNS,
    **_COURSE_DIMENSION,
}
register(
    KPI(
        code="training.subsidy_amount",
        label="拨付创业培训补贴金额",
        kind=MONEY,
        unit="元",
        formula="统计期内核准拨付（公示期满后经办机构核准）的培训补贴申报中已拨付学员的补贴金额合计，按开班地归属地区",
        aggregates=_money_of("amount"),
        order=62,
        **_TRAINING_PAID,
    )
)
register(
    KPI(
        code="training.subsidy_people",
        label="享受创业培训补贴人数",
        kind=COUNT,
        unit="人",
        formula="统计期内核准拨付的培训补贴中已拨付学员的人数（按人去重；一人两门课程计一人）",
        aggregates=lambda: {"value": count("person", distinct=True), "n": count("person", distinct=True)},
        order=63,
        **_TRAINING_PAID,
    )
)


def _started_in_window() -> Any:
    """A business of the certificate holder registered from the class's start date until ``FOLLOWUP_MONTHS`` after
    the certificate: ``core.dates.add_months`` in SQL (month index below the window's month, or the window's month
    on a day not after the certificate's day; a month without that day ends on its last day, which every day of
    that month is not after)."""
    from chuangye.registry.models import Founder

    window_month = ExtractYear(OuterRef("issued_on")) * 12 + ExtractMonth(OuterRef("issued_on")) + FOLLOWUP_MONTHS
    founded = (
        Founder.objects.filter(
            person=OuterRef("person"),
            business__registered_on__gte=OuterRef("enrolment__training_class__start_date"),
        )
        .alias(_month=ExtractYear("business__registered_on") * 12 + ExtractMonth("business__registered_on"))
        .filter(
            Q(_month__lt=window_month)
            | Q(_month=window_month, business__registered_on__day__lte=ExtractDay(OuterRef("issued_on")))
        )
    )
    return Exists(founded)


register(
    KPI(
        code="training.startup_rate",
        label="培训后创业率",
        topic=TRAINING_TOPIC,
        kind=RATE,
        unit="%",
        formula=(
            f"统计期内发证的创业培训合格证书中，持证人自开班之日起至发证后{FOLLOWUP_MONTHS}个月内有市场主体登记"
            "（任一投资人身份）的比例；按当前登记数据计算，跟踪期未满的证书以后可能转为已创业"
            f"（跟踪期取平台默认值{FOLLOWUP_MONTHS}个月，与培训跟踪页面默认口径一致）"
        ),
        sources=("training_certificate", "training_enrolment", "training_trainingclass", "registry_founder"),
        rows=_certificates,
        region="region_code",
        aggregates=lambda: {"num": count("pk", filter=Q(_started_in_window())), "den": count(), "n": count()},
        dimension_field="course",
        columns=_CERTIFICATE_COLUMNS,
        order=64,
        **_COURSE_DIMENSION,
    )
)
