"""KPIs of business-guarantee loans: amounts, jobs, interest subsidy, repayment and compensation."""

import datetime as dt
from typing import Any

from django.db.models import F, IntegerField, QuerySet, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from chuangye.reporting.definitions.base import LOANS_TOPIC, _count_of, _date, _masked_person, _money_of
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
