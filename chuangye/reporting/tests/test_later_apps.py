"""The KPIs of training, the gig market and flexible employment, and the guarantee 就业贡献度, each equal to the
value counted by hand on the fixed fixture (conftest.py) for counties and their city, by group, in one query, and
through the pages: the public page withholds them when built on fewer than five records, the drill-down lists
their records masked and within the officer's scope."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from chuangye.accounts.testing import sign_in
from chuangye.reporting import kpi as K
from chuangye.reporting.periods import Period
from chuangye.reporting.tests.conftest import at

pytestmark = pytest.mark.django_db
MARCH, APRIL, NOVEMBER, DECEMBER = (Period("month", 2026, m) for m in (3, 4, 11, 12))
YEAR_2026, YEAR_2025 = Period("year", 2026), Period("year", 2025)
COUNTIES_AND_CITY = ("510104", "510107", "5101")
# The 求人倍率 reads the market now: the fixture's gigs are for 7 November 2026, so read it on the 5th.
MARKET_MOMENT = at("2026-11-05", "20:00")


def values(code: str, period: Period) -> tuple[object, ...]:
    item = K.get(code)
    assert item is not None
    return tuple(K.total(item, prefix=p, start=period.start, end=period.end).value for p in COUNTIES_AND_CITY)


def by_group(code: str, prefix: str, period: Period) -> dict[str, object]:
    item = K.get(code)
    assert item is not None
    found = K.compute(item, prefix=prefix, start=period.start, end=period.end, by_dimension=True)
    return {dim: fig.value for (_, dim), fig in found.items()}


def test_training_kpis(training_world):
    # code: (锦江区, 武侯区, 成都市)
    assert values("training.attendances", MARCH) == (2, 1, 3)  # 孙多 never attended
    assert values("training.certificates", MARCH) == (1, 1, 2)  # 赵建国's 40 % attendance earns none
    assert values("training.subsidy_amount", MARCH) == (Decimal("0.00"),) * 3  # approved in April
    assert values("training.subsidy_amount", APRIL) == (Decimal("500.00"), Decimal("500.00"), Decimal("1000.00"))
    assert values("training.subsidy_people", APRIL) == (1, 1, 2)
    # 李晓雨 started on 10 May (within six months); 魏宁 on 21 September, a day after his window closed.
    assert values("training.startup_rate", MARCH) == (Decimal("1.0000"), Decimal("0.0000"), Decimal("0.5000"))
    assert values("training.startup_rate", APRIL) == (None, None, None)  # no certificates: no rate, not 0 %
    assert by_group("training.attendances", "5101", MARCH) == {"SYB": 3}
    assert by_group("training.subsidy_amount", "5101", YEAR_2026) == {"SYB": Decimal("1000.00")}
    assert K.get("training.attendances").dimension_label("SYB") == "创办你的企业（SYB）"  # type: ignore[union-attr]


def test_startup_rate_window_edges_and_agreement_with_the_training_follow_up(training_world):
    from chuangye.training.models import Certificate
    from chuangye.training.selectors import followup_rates

    business = training_world["wei_business"]
    for registered, started in (
        ("2026-09-20", True),  # the last day of add_months(20 March, 6)
        ("2026-09-21", False),
        ("2026-03-16", True),  # the class's first day
        ("2026-03-15", False),  # before the class: not a start-up after training
    ):
        business.registered_on = dt.date.fromisoformat(registered)
        business.save(update_fields=["registered_on"])
        assert values("training.startup_rate", MARCH)[1] == (Decimal("1.0000") if started else 0), registered
        own = {r.key: r for r in followup_rates(Certificate.objects.all(), 6)["region"]}
        assert own["510107"].started == int(started) and own["510104"].started == 1, registered


def test_flexible_kpis(flexible_world):
    # Published in November: 朱红's two (one in 武侯区) and 李晓雨's approved one; rejected and pending do not count.
    assert values("flexible.gigs_published", NOVEMBER) == (2, 1, 3)
    assert values("flexible.gigs_published", Period("month", 2026, 10)) == (0, 0, 0)
    assert by_group("flexible.gigs_published", "5101", NOVEMBER) == {"kitchen": 1, "loading": 2}
    # Completed: 赵建国's kitchen shift and 魏宁's job on 李晓雨's (锦江区) gig; 魏宁's 武侯区 job is not finished.
    assert values("flexible.placements", NOVEMBER) == (2, 0, 2)
    assert values("flexible.hard_to_place_placed", NOVEMBER) == (1, 0, 1)  # 赵建国 (long wait)
    assert values("flexible.registrations_approved", NOVEMBER) == (1, 0, 1)
    assert by_group("flexible.registrations_approved", "5101", NOVEMBER) == {"employment": 1}
    assert values("flexible.si_subsidy_amount", NOVEMBER) == (Decimal("1599.99"), Decimal("0.00"), Decimal("1599.99"))
    assert values("flexible.si_subsidy_amount", DECEMBER) == (Decimal("0.00"), Decimal("300.00"), Decimal("300.00"))
    assert values("flexible.si_subsidy_people", YEAR_2026) == (1, 1, 2)  # 赵建国's approved claim is not paid yet
    assert values("flexible.si_subsidy_amount", YEAR_2026)[2] == Decimal("1899.99")


def test_a_worker_without_a_profile_is_not_counted_as_hard_to_place(flexible_world, sun_duo):
    from chuangye.flexible import actions as fx

    employer, gig = flexible_world["employer"], flexible_world["gigs"]["wuhou"]
    with time_machine.travel(at("2026-11-06"), tick=False):
        job = fx.gig_take(actor=sun_duo, gig=gig)  # 孙多 never filled in a worker profile
        fx.engagement_confirm(actor=employer, engagement=job)
        fx.engagement_complete(actor=sun_duo, engagement=job)
        fx.engagement_complete(actor=employer, engagement=job)
    assert values("flexible.placements", NOVEMBER) == (2, 1, 3)
    assert values("flexible.hard_to_place_placed", NOVEMBER) == (1, 0, 1)


def test_vacancy_ratio_is_the_flexible_statistics_reading(flexible_world):
    from chuangye.flexible.selectors import market_statistics

    with time_machine.travel(MARKET_MOMENT, tick=False):
        # 锦江区: 1 open place (kitchen 2 − 1 taken; 李晓雨's gig is full) ÷ 1 seeker (赵建国);
        # 武侯区: 2 (3 − 1) ÷ 1 (魏宁); 成都市 3 ÷ 2.
        assert values("flexible.vacancy_ratio", NOVEMBER) == (Decimal("1.00"), Decimal("2.00"), Decimal("1.50"))
        stats = market_statistics("510100")
        assert stats["total"].ratio == Decimal("1.50")
        assert {r.key: r.ratio for r in stats["by_region"]} == {"510104": Decimal("1.00"), "510107": Decimal("2.00")}
        # A reading of the market now, whatever the period asked for.
        assert values("flexible.vacancy_ratio", YEAR_2025) == values("flexible.vacancy_ratio", NOVEMBER)
    # Once the gigs' validity has passed there are no vacancies: 0 ÷ 2.
    with time_machine.travel(at("2026-11-08"), tick=False):
        assert values("flexible.vacancy_ratio", NOVEMBER)[2] == Decimal("0.00")


def test_jobs_per_million_yuan_lent(enterprise_loan):
    # 赵建国's 100,000.00 enterprise loan declared 3 new hires: 3 ÷ 0.1 million = 30 per million yuan.
    assert values("loans.jobs_per_million", YEAR_2025) == (Decimal("30.00"), None, Decimal("30.00"))
    assert K.total(K.get("loans.jobs_per_million"), prefix="5101", start=YEAR_2025.start, end=YEAR_2025.end).n == 1  # type: ignore[arg-type]
    # 李晓雨's individual loan is left out of the ratio; the count of declared hires covers every loan.
    assert values("loans.jobs", YEAR_2025)[2] == 3
    assert K.Figure(Decimal("30.00"), 1).display(K.RATIO) == "30.00"


def test_drill_down_of_the_jobs_ratio_lists_enterprise_loans_only(enterprise_loan, yang_fan, chen_gang,
                                                                   zhao_jianguo):  # fmt: skip
    html = get(yang_fan, "/reporting/drill/", period="2025", kpi="loans.jobs_per_million").content.decode()
    assert "赵建国" in html and "李晓雨" not in html and "30.00" in html
    assert zhao_jianguo.person.id_number not in html and zhao_jianguo.person.id_number_masked in html
    assert re.search(r"<td>3</td>", html)  # the declared hires column
    assert (
        "赵建国"
        not in get(chen_gang, "/reporting/drill/", period="2025", kpi="loans.jobs_per_million").content.decode()
    )


def test_one_off_startup_subsidy_is_the_confirmed_grants_of_that_policy(policy_world):
    from chuangye.policies.models import ProactiveGrant

    february = Period("month", 2026, 2)
    assert values("policies.startup_subsidy_count", february) == (1, 1, 2)  # the pending grant does not count
    assert values("policies.startup_subsidy_amount", february) == (
        Decimal("5000.00"),
        Decimal("3000.00"),
        Decimal("8000.00"),
    )
    # A confirmed grant of another policy is not a one-off start-up subsidy.
    ProactiveGrant.objects.filter(case__number="G-2").update(policy_code="subsidy.social_insurance")
    assert values("policies.startup_subsidy_count", february) == (1, 0, 1)
    assert values("policies.grants_confirmed", february) == (1, 1, 2)


NEW_CODES = [
    "policies.startup_subsidy_count",
    "policies.startup_subsidy_amount",
    "training.attendances",
    "training.certificates",
    "training.subsidy_amount",
    "training.subsidy_people",
    "training.startup_rate",
    "flexible.gigs_published",
    "flexible.placements",
    "flexible.hard_to_place_placed",
    "flexible.vacancy_ratio",
    "flexible.registrations_approved",
    "flexible.si_subsidy_amount",
    "flexible.si_subsidy_people",
    "loans.jobs_per_million",
]


@pytest.mark.parametrize("code", NEW_CODES)
def test_each_new_kpi_is_one_query_with_data(code, training_world, flexible_world, enterprise_loan, policy_world,
                                             django_assert_num_queries):  # fmt: skip
    item = K.get(code)
    assert item is not None
    with time_machine.travel(MARKET_MOMENT, tick=False):
        with django_assert_num_queries(1):
            figure = K.total(item, prefix="51", start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31))
        assert figure.n > 0, code
        with django_assert_num_queries(1):
            grouped = K.compute(item, prefix="51", start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31), group_len=6,
                                by_dimension=True)  # fmt: skip
        assert {group for group, _ in grouped} <= {"510104", "510107"}, code


# Pages ------------------------------------------------------------------------------------------------------------


def get(user, url, **params):
    return sign_in(Client(), user).get(url, params)


def test_public_page_withholds_the_new_small_figures(training_world, flexible_world):
    with time_machine.travel(MARKET_MOMENT, tick=False):
        html = Client().get("/reporting/public/", {"region": "510100", "year": "2026"}).content.decode()
        api = Client().get("/api/v1/reporting/public", {"region": "510100", "year": 2026}).json()
    assert "李晓雨" not in html and "魏宁" not in html
    # Three trainees, two certificates, 1,000.00 of training subsidy, a 1.50 ratio over two seekers: all withheld.
    assert re.search(r"<td>创业培训人次</td><td>&lt;5</td>", html)
    assert re.search(r"<td>拨付创业培训补贴金额</td><td>—</td>", html)
    assert re.search(r"<td>零工市场求人倍率（当前）</td><td>—</td>", html)
    figures = {f["code"]: f for f in api}
    for code in ("training.attendances", "training.startup_rate", "flexible.vacancy_ratio", "flexible.placements"):
        assert figures[code]["suppressed"] and figures[code]["value"] is None, code
    assert not figures["loans.jobs_per_million"]["suppressed"]  # no records at all: nothing to withhold


def test_public_page_shows_a_ratio_built_on_five_seekers(flexible_world, sun_duo):
    from chuangye.accounts.testing import make_citizen
    from chuangye.reporting.tests.conftest import _profile

    with time_machine.travel(at("2026-11-04"), tick=False):
        _profile(sun_duo, ["cleaning"], [])
        for n in range(2):
            user = make_citizen(f"seeker{n}_rp", f"求职者{n}", phone=f"1390000000{n}", region_code="510104",
                                birth=f"1990-01-0{n + 1}", sex="M")  # fmt: skip
            _profile(user, ["cleaning"], [])
    with time_machine.travel(MARKET_MOMENT, tick=False):
        api = Client().get("/api/v1/reporting/public", {"region": "510100", "year": 2026}).json()
    ratio = {f["code"]: f for f in api}["flexible.vacancy_ratio"]
    assert not ratio["suppressed"] and ratio["value"] == "0.60" and ratio["display"] == "0.60"  # 3 ÷ 5


def test_drill_down_of_training_figures_is_masked_and_scoped(training_world, yang_fan, wang_fang, li_xiaoyu):
    page = get(yang_fan, "/reporting/drill/", region="510100", period="2026-03", kpi="training.certificates")
    html = page.content.decode()
    assert page.status_code == 200
    assert "李晓雨" in html and "魏宁" in html and "赵建国" not in html
    person = li_xiaoyu.person
    assert person.id_number not in html and person.id_number_masked in html
    own = get(wang_fang, "/reporting/drill/", period="2026-03", kpi="training.attendances").content.decode()
    assert "李晓雨" in own and "赵建国" in own and "孙多" not in own and "魏宁" not in own
    assert get(wang_fang, "/reporting/drill/", region="510107", kpi="training.attendances").status_code == 404
    by_course = get(yang_fan, "/reporting/drill/", period="2026-04", kpi="training.subsidy_amount", dim="SYB")
    assert "李晓雨" in by_course.content.decode() and "500.00" in by_course.content.decode()
    rate = get(yang_fan, "/reporting/drill/", period="2026-03", kpi="training.startup_rate").content.decode()
    assert "50.0%" in rate


def test_drill_down_of_gig_figures_is_masked_and_scoped(flexible_world, yang_fan, wang_fang, chen_gang, zhao_jianguo):
    page = get(yang_fan, "/reporting/drill/", period="2026-11", kpi="flexible.hard_to_place_placed")
    html = page.content.decode()
    assert "赵建国" in html and "魏宁" not in html
    assert zhao_jianguo.person.id_number not in html and zhao_jianguo.person.id_number_masked in html
    assert (
        "周末后厨帮工"
        not in get(chen_gang, "/reporting/drill/", period="2026-11", kpi="flexible.placements").content.decode()
    )
    assert get(chen_gang, "/reporting/drill/", region="510104", kpi="flexible.placements").status_code == 404
    si = get(wang_fang, "/reporting/drill/", period="2026-11", kpi="flexible.si_subsidy_amount").content.decode()
    assert "李晓雨" in si and "1599.99" in si and "魏宁" not in si
    with time_machine.travel(MARKET_MOMENT, tick=False):
        market = get(yang_fan, "/reporting/drill/", period="2026-11", kpi="flexible.vacancy_ratio").content.decode()
    assert "锦江区（510104）" in market and "武侯区（510107）" in market and "1.50" in market


def test_dashboard_and_workbook_show_a_ratio_as_a_number(flexible_world, yang_fan):
    with time_machine.travel(MARKET_MOMENT, tick=False):
        html = get(yang_fan, "/reporting/", period="2026-11").content.decode()
        book = load_workbook(io.BytesIO(get(yang_fan, "/reporting/", period="2026-11", export="summary").content))
    assert re.search(r"零工市场求人倍率（当前）</a></td><td>倍</td>\s*<td><a [^>]*>1\.50</a>", html)
    rows = {r[1]: r for r in book.active.iter_rows(min_row=2, values_only=True)}
    assert rows["零工市场求人倍率（当前）"][3] == 1.5 and rows["发布零工岗位"][3] == 3
