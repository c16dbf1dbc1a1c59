"""KPIs of policy matching and no-application grants (免申即享), including the one-off start-up subsidy."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from chuangye.reporting.definitions.base import POLICIES_TOPIC, _count_of, _date, _masked_person, _money_of
from chuangye.reporting.kpi import COUNT, KPI, MONEY, Column, moment_range, register


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
