"""Every KPI of the platform, in one place (DOMAIN.md §13), each with its formula and source tables.

To add a KPI: declare it here with ``register(KPI(...))``; the dashboards, comparisons, trends, drill-down,
workbooks, monthly snapshots, public page and API pick it up. ``rows`` must return the records of the period with
the period applied; ``region`` names the field that places a record in a region.
"""

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, ExtractDay, ExtractMonth, ExtractYear

from chuangye.core.pii import mask_id_number
from chuangye.reporting.kpi import (
    COUNT,
    KPI,
    MONEY,
    RATE,
    RATIO,
    Column,
    count,
    day_range,
    fen_sum,
    moment_range,
    register,
)

REGISTRY_TOPIC, CASES_TOPIC, LOANS_TOPIC, POLICIES_TOPIC, INCUBATORS_TOPIC = (
    "登记与重点群体",
    "政务服务办件",
    "创业担保贷款",
    "政策找人与免申即享",
    "创业孵化",
)
TRAINING_TOPIC, FLEXIBLE_TOPIC = "创业培训", "零工市场与灵活就业"


def _masked_person(person: Any) -> str:
    if person is None:
        return ""
    return f"{person.name}（{mask_id_number(person.id_number) if person.id_number else '—'}）"


def _date(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%Y-%m-%d")
    return str(value.isoformat())


def _count_of(n: str = "pk", *, distinct: bool = False) -> Any:
    return lambda: {"value": count(n, distinct=distinct), "n": count(n, distinct=distinct)}


def _money_of(field_name: str) -> Any:
    return lambda: {"value": fen_sum(field_name), "n": count("pk", distinct=True)}


# Registry ------------------------------------------------------------------------------------------------------


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


# Cases ---------------------------------------------------------------------------------------------------------


def _case_type_label(code: str) -> str:
    from chuangye.cases import types

    try:
        return types.get(code).title
    except Exception:  # a type no longer registered: show its code
        return code


_CASE_COLUMNS = (
    Column("办件编号", lambda c: c.number),
    Column("事项", lambda c: _case_type_label(c.case_type)),
    Column("办理地", lambda c: c.region_code),
    Column("提交日期", lambda c: _date(c.submitted_at)),
    Column("办结日期", lambda c: _date(c.decided_at)),
    Column("办结时限", lambda c: _date(c.due_at)),
)


def _cases_received(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.cases.models import Case

    return Case.objects.filter(moment_range("submitted_at", start, end))


def _cases_decided(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.cases.models import Case

    return Case.objects.filter(moment_range("decided_at", start, end))


def _cases_with_limit(start: dt.date, end: dt.date) -> QuerySet[Any]:
    return _cases_decided(start, end).filter(due_at__isnull=False)


for _code, _label, _rows, _formula, _order in (
    ("cases.received", "受理办件", _cases_received, "统计期内提交的办件数，按办理地归属地区", 20),
    ("cases.decided", "办结办件", _cases_decided, "统计期内办结（作出最终决定）的办件数，按办理地归属地区", 21),
):
    register(
        KPI(
            code=_code,
            label=_label,
            topic=CASES_TOPIC,
            kind=COUNT,
            unit="件",
            formula=_formula,
            sources=("cases_case",),
            rows=_rows,
            region="region_code",
            aggregates=_count_of(),
            dimension="事项",
            dimension_field="case_type",
            dimension_label=_case_type_label,
            columns=_CASE_COLUMNS,
            order=_order,
        )
    )

register(
    KPI(
        code="cases.on_time_rate",
        label="按时办结率",
        topic=CASES_TOPIC,
        kind=RATE,
        unit="%",
        formula="统计期内办结且有法定办结时限的办件中，办结时间不晚于办结时限（含补正暂停后顺延）的比例",
        sources=("cases_case",),
        rows=_cases_with_limit,
        region="region_code",
        aggregates=lambda: {
            "num": count("pk", filter=Q(decided_at__lte=F("due_at"))),
            "den": count("pk"),
            "n": count("pk"),
        },
        dimension="事项",
        dimension_field="case_type",
        dimension_label=_case_type_label,
        columns=_CASE_COLUMNS,
        order=22,
    )
)


# Loans ---------------------------------------------------------------------------------------------------------


def _loan_kind_label(code: str) -> str:
    return {
        "individual": "个人创业担保贷款",
        "partnership": "合伙创业担保贷款",
        "enterprise": "小微企业创业担保贷款",
    }.get(code, code)


def _loans(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.loans.models import Loan

    return Loan.objects.filter(day_range("disbursed_on", start, end)).select_related("person")


_LOAN_COLUMNS = (
    Column("贷款编号", lambda loan: loan.number),
    Column("类别", lambda loan: loan.get_kind_display()),
    Column("借款人", lambda loan: _masked_person(loan.person) if loan.person_id else loan.borrower_name),
    Column("放款日", lambda loan: _date(loan.disbursed_on)),
    Column("本金（元）", lambda loan: f"{loan.principal:.2f}"),
    Column("状态", lambda loan: loan.get_state_display()),
)
_LOAN_COMMON: dict[str, Any] = {
    "topic": LOANS_TOPIC,
    "rows": _loans,
    "region": "region_code",
    "dimension": "贷款类别",
    "dimension_field": "kind",
    "dimension_label": _loan_kind_label,
    "columns": _LOAN_COLUMNS,
}

register(
    KPI(
        code="loans.amount",
        label="发放创业担保贷款金额",
        kind=MONEY,
        unit="元",
        formula="统计期内放款的创业担保贷款本金合计（按放款日），按经办地归属地区；可按个人、合伙、小微企业分列",
        sources=("loans_loan",),
        aggregates=_money_of("principal"),
        order=30,
        **_LOAN_COMMON,
    )
)
register(
    KPI(
        code="loans.count",
        label="发放创业担保贷款笔数",
        kind=COUNT,
        unit="笔",
        formula="统计期内放款的创业担保贷款笔数（按放款日），按经办地归属地区",
        sources=("loans_loan",),
        aggregates=_count_of(),
        order=31,
        **_LOAN_COMMON,
    )
)
register(
    KPI(
        code="loans.people",
        label="扶持创业人数",
        kind=COUNT,
        unit="人",
        formula="统计期内放款的创业担保贷款的借款人（登记人员）人数，按人去重",
        sources=("loans_loan",),
        aggregates=lambda: {"value": count("person", distinct=True), "n": count("person", distinct=True)},
        order=32,
        **_LOAN_COMMON,
    )
)


def _hires() -> Any:
    return Coalesce(Cast(KeyTextTransform("new_key_group_hires_12m", "application__declarations"), IntegerField()), 0)


register(
    KPI(
        code="loans.jobs",
        label="带动就业（申报新招用重点群体）",
        kind=COUNT,
        unit="人",
        formula=(
            "统计期内放款的贷款在申请时申报的近12个月新招用重点群体人数之和（小微企业贷款申报；"
            "平台未记录放款后的实际吸纳就业，个人贷款计0）"
        ),
        sources=("loans_loan", "loans_loanapplication"),
        aggregates=lambda: {"value": Coalesce(Sum(_hires()), 0), "n": count()},
        order=33,
        **_LOAN_COMMON,
    )
)


# 就业贡献度 (DOMAIN §13). The platform records jobs only as the hires a small or micro enterprise declares when
# applying (``new_key_group_hires_12m``); individual and partnership loans declare none, so the figure is defined
# over enterprise loans only, per million yuan lent, and labelled as declared.
PER_MILLION_FEN = 100_000_000  # 1,000,000 yuan in 分


def _enterprise_loans(start: dt.date, end: dt.date) -> QuerySet[Any]:
    return _loans(start, end).filter(kind="enterprise").select_related("application")


register(
    KPI(
        code="loans.jobs_per_million",
        label="担保贷款就业贡献度（小微企业，每百万元申报新招用人数）",
        topic=LOANS_TOPIC,
        kind=RATIO,
        unit="人/百万元",
        formula=(
            "统计期内放款的小微企业创业担保贷款，申请时申报的近12个月新招用重点群体人数之和 ÷ 这些贷款本金合计"
            "（以百万元计）。平台未记录放款后的实际吸纳就业，个人、合伙贷款不申报招用人数，故不纳入"
        ),
        sources=("loans_loan", "loans_loanapplication"),
        rows=_enterprise_loans,
        region="region_code",
        aggregates=lambda: {
            "num": Coalesce(Sum(_hires()), 0) * PER_MILLION_FEN,
            "den": fen_sum("principal"),
            "n": count(),
        },
        columns=(
            *_LOAN_COLUMNS,
            Column(
                "申报新招用重点群体（人）",
                lambda loan: (loan.application.declarations or {}).get("new_key_group_hires_12m", 0),
            ),
        ),
        order=37,
    )
)


def _subsidy_paid(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.loans.models import SubsidyClaim

    return SubsidyClaim.objects.filter(
        day_range("batch__paid_on", start, end), state=SubsidyClaim.State.PAID
    ).select_related("bank", "batch")


register(
    KPI(
        code="loans.subsidy_paid",
        label="拨付贷款贴息",
        topic=LOANS_TOPIC,
        kind=MONEY,
        unit="元",
        formula="统计期内拨付（批次拨付日）的贴息申报合计，按申报经办地归属地区；与贴息支出账核对一致",
        sources=("loans_subsidyclaim", "loans_subsidybatch"),
        rows=_subsidy_paid,
        region="region_code",
        aggregates=_money_of("total"),
        columns=(
            Column("经办银行", lambda c: c.bank.name),
            Column("申报期", lambda c: c.period_label),
            Column("批次", lambda c: c.batch.number if c.batch_id else ""),
            Column("拨付日", lambda c: _date(c.batch.paid_on) if c.batch_id else ""),
            Column("贴息（元）", lambda c: f"{c.total:.2f}"),
        ),
        order=34,
    )
)


def _rows_due(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.loans.models import ScheduleRow

    return ScheduleRow.objects.filter(day_range("due", start, end)).select_related("loan")


register(
    KPI(
        code="loans.repayment_rate",
        label="到期本息回收率",
        topic=LOANS_TOPIC,
        kind=RATE,
        unit="%",
        formula=(
            "应还日在统计期内的各期还款计划中，已归还本金与利息之和 ÷ 应还本金与利息之和（按当前还款记录；"
            "已代偿、核销部分不算归还）"
        ),
        sources=("loans_schedulerow", "loans_loan"),
        rows=_rows_due,
        region="loan__region_code",
        aggregates=lambda: {
            "num": fen_sum(F("paid_principal") + F("paid_interest")),
            "den": fen_sum(F("principal") + F("interest")),
            "n": count(),
        },
        dimension="贷款类别",
        dimension_field="loan__kind",
        dimension_label=_loan_kind_label,
        columns=(
            Column("贷款编号", lambda r: r.loan.number),
            Column("期次", lambda r: r.number),
            Column("应还日", lambda r: _date(r.due)),
            Column("应还本息（元）", lambda r: f"{r.principal + r.interest:.2f}"),
            Column("已还本息（元）", lambda r: f"{r.paid_principal + r.paid_interest:.2f}"),
        ),
        public=False,
        order=35,
    )
)


def _compensations(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.loans.models import CompensationClaim

    return CompensationClaim.objects.filter(
        moment_range("decided_at", start, end), state=CompensationClaim.State.PAID
    ).select_related("loan")


register(
    KPI(
        code="loans.compensation_paid",
        label="担保基金代偿金额",
        topic=LOANS_TOPIC,
        kind=MONEY,
        unit="元",
        formula="统计期内担保基金已支付的代偿金额（代偿本金加利息，按支付日），按贷款经办地归属地区",
        sources=("loans_compensationclaim", "loans_loan"),
        rows=_compensations,
        region="loan__region_code",
        aggregates=_money_of("amount"),
        dimension="贷款类别",
        dimension_field="loan__kind",
        dimension_label=_loan_kind_label,
        columns=(
            Column("贷款编号", lambda c: c.loan.number),
            Column("逾期天数", lambda c: c.days_overdue),
            Column("代偿本金（元）", lambda c: f"{c.principal_part:.2f}"),
            Column("代偿利息（元）", lambda c: f"{c.interest_part:.2f}"),
            Column("支付日", lambda c: _date(c.decided_at)),
        ),
        public=False,
        order=36,
    )
)


# Policies ------------------------------------------------------------------------------------------------------


def _policy_label(code: str) -> str:
    from chuangye.policies.catalogue import CATALOGUE

    policy = CATALOGUE.get(code)
    return str(getattr(policy, "title", code)) if policy is not None else code


def _grants(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.policies.models import ProactiveGrant

    return ProactiveGrant.objects.filter(
        moment_range("case__decided_at", start, end), case__state="granted"
    ).select_related("case", "person")


_GRANT_COLUMNS = (
    Column("办件编号", lambda g: g.case.number),
    Column("姓名（身份证号）", lambda g: _masked_person(g.person)),
    Column("政策", lambda g: _policy_label(g.policy_code)),
    Column("金额（元）", lambda g: f"{g.amount:.2f}" if g.amount is not None else ""),
    Column("确认日期", lambda g: _date(g.case.decided_at)),
)
register(
    KPI(
        code="policies.grants_confirmed",
        label="免申即享确认发放",
        topic=POLICIES_TOPIC,
        kind=COUNT,
        unit="人次",
        formula="统计期内经办人员确认发放（办件状态为“已发放”）的免申即享办件数，按办理地归属地区",
        sources=("policies_proactivegrant", "cases_case"),
        rows=_grants,
        region="case__region_code",
        aggregates=_count_of(),
        dimension="政策",
        dimension_field="policy_code",
        dimension_label=_policy_label,
        columns=_GRANT_COLUMNS,
        order=40,
    )
)
register(
    KPI(
        code="policies.grants_amount",
        label="免申即享确认发放金额",
        topic=POLICIES_TOPIC,
        kind=MONEY,
        unit="元",
        formula="统计期内确认发放的免申即享办件金额合计",
        sources=("policies_proactivegrant", "cases_case"),
        rows=_grants,
        region="case__region_code",
        aggregates=_money_of("amount"),
        dimension="政策",
        dimension_field="policy_code",
        dimension_label=_policy_label,
        columns=_GRANT_COLUMNS,
        order=41,
    )
)


# The one-off start-up subsidy (一次性创业补贴, DOMAIN §6): on this platform only the 免申即享 grant pays it (no
# application case type exists for it; the portal shows eligibility and registration's notice points to it), so
# its figures are the confirmed grants of that one policy.
STARTUP_ONCE = "subsidy.startup_once"


def _startup_grants(start: dt.date, end: dt.date) -> QuerySet[Any]:
    return _grants(start, end).filter(policy_code=STARTUP_ONCE)


register(
    KPI(
        code="policies.startup_subsidy_count",
        label="一次性创业补贴发放人次",
        topic=POLICIES_TOPIC,
        kind=COUNT,
        unit="人次",
        formula="统计期内经办人员确认发放的一次性创业补贴（免申即享）办件数，按办理地归属地区；平台上该补贴仅经免申即享发放",
        sources=("policies_proactivegrant", "cases_case"),
        rows=_startup_grants,
        region="case__region_code",
        aggregates=_count_of(),
        columns=_GRANT_COLUMNS,
        order=43,
    )
)
register(
    KPI(
        code="policies.startup_subsidy_amount",
        label="一次性创业补贴发放金额",
        topic=POLICIES_TOPIC,
        kind=MONEY,
        unit="元",
        formula="统计期内确认发放的一次性创业补贴（免申即享）金额合计，按办理地归属地区",
        sources=("policies_proactivegrant", "cases_case"),
        rows=_startup_grants,
        region="case__region_code",
        aggregates=_money_of("amount"),
        columns=_GRANT_COLUMNS,
        order=44,
    )
)


def _matches(start: dt.date, end: dt.date) -> QuerySet[Any]:
    from chuangye.policies.models import PolicyMatch

    return PolicyMatch.objects.filter(moment_range("changed_at", start, end), eligible=True).select_related("person")


register(
    KPI(
        code="policies.scan_matches",
        label="政策找人新匹配",
        topic=POLICIES_TOPIC,
        kind=COUNT,
        unit="人次",
        formula="统计期内主动扫描新发现符合条件（且目前仍符合）的人员与政策组合数，按常住地归属地区",
        sources=("policies_policymatch",),
        rows=_matches,
        region="region_code",
        aggregates=_count_of(),
        dimension="政策",
        dimension_field="policy_code",
        dimension_label=_policy_label,
        columns=(
            Column("姓名（身份证号）", lambda m: _masked_person(m.person)),
            Column("政策", lambda m: _policy_label(m.policy_code)),
            Column("发现日期", lambda m: _date(m.changed_at)),
        ),
        order=42,
    )
)


# Incubators ----------------------------------------------------------------------------------------------------

_TENANCY = ("in_incubation", "graduated", "exited")


def _in_incubation(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """The rule of ``incubators.rules.compute_indicators`` (tenants in incubation at any time in the period: moved
    in by its end, not moved out before its start), for any period."""
    from chuangye.incubators.models import Contract

    return Contract.objects.filter(
        Q(moved_out_on__isnull=True) | Q(moved_out_on__gte=start),
        moved_in_on__isnull=False,
        moved_in_on__lte=end,
        status__in=_TENANCY,
    ).select_related("carrier", "person")


def _ended(start: dt.date, end: dt.date) -> QuerySet[Any]:
    return _in_incubation(start, end).filter(day_range("moved_out_on", start, end))


_CONTRACT_COLUMNS = (
    Column("协议编号", lambda c: c.number),
    Column("孵化载体", lambda c: c.carrier.name),
    Column("入孵人", lambda c: _masked_person(c.person)),
    Column("入驻日期", lambda c: _date(c.moved_in_on)),
    Column("出孵日期", lambda c: _date(c.moved_out_on)),
    Column("状态", lambda c: c.get_status_display()),
    Column("带动就业", lambda c: c.jobs_created),
)
register(
    KPI(
        code="incubators.entities",
        label="在孵主体",
        topic=INCUBATORS_TOPIC,
        kind=COUNT,
        unit="户",
        formula="统计期内任一时间处于孵化期的入孵协议数（入驻日不晚于期末，且未在期初前出孵），按孵化载体所在地归属地区",
        sources=("incubators_contract", "incubators_carrier"),
        rows=_in_incubation,
        region="carrier__region_code",
        aggregates=_count_of(),
        columns=_CONTRACT_COLUMNS,
        order=50,
    )
)
register(
    KPI(
        code="incubators.success_rate",
        label="孵化成功率",
        topic=INCUBATORS_TOPIC,
        kind=RATE,
        unit="%",
        formula="统计期内出孵的入孵主体中，毕业出孵（非提前退出）的比例",
        sources=("incubators_contract", "incubators_carrier"),
        rows=_ended,
        region="carrier__region_code",
        aggregates=lambda: {"num": count("pk", filter=Q(status="graduated")), "den": count(), "n": count()},
        columns=_CONTRACT_COLUMNS,
        order=51,
    )
)
register(
    KPI(
        code="incubators.jobs",
        label="孵化带动就业",
        topic=INCUBATORS_TOPIC,
        kind=COUNT,
        unit="人",
        formula="统计期内在孵主体报告的带动就业人数之和",
        sources=("incubators_contract", "incubators_carrier"),
        rows=_in_incubation,
        region="carrier__region_code",
        aggregates=lambda: {"value": Coalesce(Sum("jobs_created"), 0), "n": count()},
        columns=_CONTRACT_COLUMNS,
        order=52,
    )
)


# Training (创业培训) -----------------------------------------------------------------------------------------------

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


# Flexible employment and the gig market (零工市场) ----------------------------------------------------------------


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
