"""Every KPI of the platform, in one place (DOMAIN.md §13), each with its formula and source tables.

To add a KPI (training attendances, gig placements and 求人倍率, social-insurance and one-off subsidies once those
apps' models settle): declare it here with ``register(KPI(...))``; the dashboards, comparisons, trends, drill-down,
workbooks, monthly snapshots, public page and API pick it up. ``rows`` must return the records of the period with
the period applied; ``region`` names the field that places a record in a region.
"""

import datetime as dt
from typing import Any

from django.db.models import F, IntegerField, Q, QuerySet, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from chuangye.core.pii import mask_id_number
from chuangye.reporting.kpi import (
    COUNT,
    KPI,
    MONEY,
    RATE,
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
