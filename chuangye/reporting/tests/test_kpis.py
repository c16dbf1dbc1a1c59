"""Each KPI equals the value counted by hand on the fixed fixture (see conftest.py), for counties, their city and
the province, and by group where the KPI has a breakdown."""

import datetime as dt
from decimal import Decimal

import pytest

from chuangye.incubators.selectors import indicators
from chuangye.registry.models import KeyGroupCategory
from chuangye.reporting import kpi as K
from chuangye.reporting.kpi import Figure
from chuangye.reporting.periods import Period

pytestmark = pytest.mark.django_db
MARCH = Period("month", 2026, 3)
FEBRUARY = Period("month", 2026, 2)
YEAR_2025 = Period("year", 2025)


def value(code: str, prefix: str, period: Period) -> object:
    item = K.get(code)
    assert item is not None
    return K.total(item, prefix=prefix, start=period.start, end=period.end).value


def by_group(code: str, prefix: str, period: Period) -> dict[str, object]:
    item = K.get(code)
    assert item is not None
    found = K.compute(item, prefix=prefix, start=period.start, end=period.end, by_dimension=True)
    return {dim: fig.value for (_, dim), fig in found.items()}


def test_registry_kpis_roll_up_from_county_to_province(registry_world):
    expected = {
        # code: (锦江区, 武侯区, 成都市, 四川省)
        "registry.people_new": (3, 2, 5, 6),
        "registry.people_total": (4, 2, 6, 7),
        "registry.key_groups_certified": (2, 1, 3, 3),
        "registry.new_founders": (1, 1, 2, 2),
        "registry.businesses_new": (2, 1, 3, 3),
    }
    for code, counts in expected.items():
        got = tuple(value(code, prefix, MARCH) for prefix in ("510104", "510107", "5101", "51"))
        assert got == counts, code
    # February: only 陈旧's shop; its founder holds no key-group status.
    assert value("registry.businesses_new", "51", FEBRUARY) == 1
    assert value("registry.new_founders", "51", FEBRUARY) == 0


def test_new_founders_and_certifications_by_key_group(registry_world):
    graduate = KeyGroupCategory.objects.get(code="graduate").name
    migrant = KeyGroupCategory.objects.get(code="returning_migrant").name
    assert by_group("registry.new_founders", "5101", MARCH) == {graduate: 2}
    assert by_group("registry.key_groups_certified", "5101", MARCH) == {graduate: 2, migrant: 1}
    assert by_group("registry.businesses_new", "5101", MARCH) == {"individual": 2, "enterprise": 1}


def test_case_kpis(case_world):
    assert value("cases.received", "510104", MARCH) == 2
    assert value("cases.received", "5101", MARCH) == 3
    assert value("cases.decided", "510104", MARCH) == 3
    assert value("cases.decided", "510107", MARCH) == 0
    on_time = K.total(K.get("cases.on_time_rate"), prefix="510104", start=MARCH.start, end=MARCH.end)  # type: ignore[arg-type]
    assert on_time == Figure(Decimal("0.5000"), 2)
    assert value("cases.on_time_rate", "510107", MARCH) is None  # nothing decided: no rate, not 0 %
    assert by_group("cases.decided", "510104", MARCH) == {"registration.establish": 2, "policy.grant": 1}


def test_loan_kpis(loan_world):
    assert value("loans.amount", "510104", YEAR_2025) == Decimal("300000.00")
    assert value("loans.amount", "510107", YEAR_2025) == Decimal("0.00")
    assert value("loans.count", "51", YEAR_2025) == 2
    assert value("loans.people", "5101", YEAR_2025) == 2
    assert by_group("loans.amount", "5101", YEAR_2025) == {"individual": Decimal("300000.00")}
    assert value("loans.jobs", "5101", YEAR_2025) == 0  # individual loans declare no hires
    # Interest subsidy: the Q2 claim (half of 李晓雨's 166.67 interest paid in June), paid on 2025-07-05.
    assert value("loans.subsidy_paid", "510104", YEAR_2025) == Decimal("83.33")
    assert value("loans.subsidy_paid", "510104", Period("month", 2025, 6)) == Decimal("0.00")
    # June 2025: 166.67 + 83.33 due, 166.67 repaid; the year: 4,825.00 due (six periods), 166.67 repaid.
    assert value("loans.repayment_rate", "510104", Period("month", 2025, 6)) == Decimal("0.6667")
    assert value("loans.repayment_rate", "51", YEAR_2025) == Decimal("0.0345")
    assert value("loans.compensation_paid", "5101", YEAR_2025) == Decimal("50000.00")
    assert value("loans.compensation_paid", "5101", Period("month", 2025, 11)) == Decimal("0.00")


def test_policy_kpis(policy_world):
    assert value("policies.grants_confirmed", "510104", FEBRUARY) == 1
    assert value("policies.grants_confirmed", "5101", FEBRUARY) == 2
    assert value("policies.grants_amount", "5101", FEBRUARY) == Decimal("8000.00")
    assert value("policies.scan_matches", "510104", FEBRUARY) == 1
    assert value("policies.scan_matches", "5101", FEBRUARY) == 2
    assert value("policies.grants_confirmed", "5101", MARCH) == 0


def test_incubator_kpis_agree_with_the_carrier_indicators(incubator_world):
    assert value("incubators.entities", "510104", YEAR_2025) == 3
    assert value("incubators.jobs", "5101", YEAR_2025) == 6
    assert value("incubators.success_rate", "51", YEAR_2025) == Decimal("0.5000")
    own = indicators(incubator_world, 2025)
    assert own["entities"] == 3 and own["jobs_created"] == 6 and own["success_rate"] == 0.5
    # 2026: only the tenant still in incubation; nobody left, so no success rate.
    assert value("incubators.entities", "51", Period("year", 2026)) == 1
    assert value("incubators.success_rate", "51", Period("year", 2026)) is None


def test_every_kpi_declares_formula_sources_and_drill_columns():
    for item in K.all_kpis():
        assert item.formula and item.sources and item.columns, item.code
        assert item.kind in (K.COUNT, K.MONEY, K.RATE, K.RATIO)


def test_sub_region_comparison_is_one_query(registry_world, django_assert_num_queries):
    from chuangye.core.models import Region
    from chuangye.reporting import selectors

    city = Region.objects.get(code="510100")
    subs = selectors.children(city)
    item = K.get("registry.people_new")
    assert item is not None
    with django_assert_num_queries(1):
        rows = {r.code: f.value for r, f in selectors.comparison(city, MARCH, item, subs)}
    assert rows["510104"] == 3 and rows["510107"] == 2 and rows["510105"] == 0


@pytest.mark.parametrize("code", [k.code for k in K.all_kpis()])
def test_each_kpi_is_one_query_whatever_the_data(code, registry_world, case_world, django_assert_num_queries):
    item = K.get(code)
    assert item is not None
    with django_assert_num_queries(1):
        K.total(item, prefix="51", start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31))
    with django_assert_num_queries(1):
        K.compute(item, prefix="51", start=MARCH.start, end=MARCH.end, group_len=4, by_dimension=True)
