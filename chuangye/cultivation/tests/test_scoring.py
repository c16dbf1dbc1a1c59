"""The project risk model: each factor's contribution, the recommendations and the grade follow the written rules."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from chuangye.cultivation.scoring import INDUSTRIES, MAX_POINTS, MODEL_VERSION, SITES, ProjectInputs, assess

# 李晓雨's tea shop: 200,000 invested, 100,000 her own, 100,000 borrowed over 24 months at 2%.
TEA_SHOP = ProjectInputs(
    industry="catering",
    site="secured",
    investment=Decimal("200000.00"),
    own_funds=Decimal("100000.00"),
    loan_amount=Decimal("100000.00"),
    loan_term_months=24,
    loan_annual_rate=Decimal("2"),
    price=Decimal("18.00"),
    monthly_volume=3000,
    unit_variable_cost=Decimal("7.00"),
    monthly_fixed_cost=Decimal("15000.00"),
    experience_years=3,
    team_size=3,
)


def points(result):
    return {f.code: f.points for f in result.factors}


def test_a_sound_project_is_low_risk_and_every_factor_is_shown():
    result = assess(TEA_SHOP)
    # Profit 11 × 3000 − 15000 = 18,000 a month; repayment 100000/24 + 100000 × 2% / 12 = 4,333.33.
    assert result.monthly_profit == Decimal("18000.00")
    assert result.monthly_repayment == Decimal("4333.33")
    assert points(result) == {
        "own_funds": 0,
        "funding_gap": 0,
        "margin": 0,  # (18 − 7) / 18 = 61%
        "coverage": 0,  # 18000 / 4333.33 = 4.15 times
        "payback": 0,  # 200000 / 18000 = 11.1 months
        "experience": 0,
        "team": 0,
        "industry": 8,  # catering's base risk
        "site": 0,
    }
    assert result.score == 7 and result.grade == "low"  # 8 of 111 points → 7.2 → 7
    assert result.version == MODEL_VERSION
    assert result.recommendations == ()


def test_own_funds_below_30_percent_are_flagged_with_the_amount_needed():
    result = assess(replace(TEA_SHOP, own_funds=Decimal("50000.00"), loan_amount=Decimal("150000.00")))
    factor = next(f for f in result.factors if f.code == "own_funds")
    assert (factor.points, factor.value) == (20, "25.0%")
    assert "自有资金低于投资额的30%" in factor.recommendation and "60000.00 元" in factor.recommendation
    assert factor.recommendation in result.recommendations


def test_a_funding_gap_a_negative_margin_and_no_experience_make_a_high_risk():
    project = replace(
        TEA_SHOP,
        own_funds=Decimal("20000.00"),
        loan_amount=Decimal("100000.00"),
        unit_variable_cost=Decimal("19.00"),
        experience_years=0,
        team_size=1,
        site="none",
    )
    result = assess(project)
    p = points(result)
    assert p["funding_gap"] == 10 and p["margin"] == 15 and p["coverage"] == 20 and p["payback"] == 15
    assert p["experience"] == 10 and p["team"] == 5 and p["site"] == 6 and p["own_funds"] == 20
    assert result.grade == "high" and result.score == 98  # 109 of 111
    assert any("80000.00 元资金缺口" in r for r in result.recommendations)
    assert any("卖得越多亏得越多" in r for r in result.recommendations)


def test_thin_cover_for_the_loan_is_a_medium_concern():
    # Profit 11 × 1000 − 6000 = 5000; repayment 4333.33 → cover 1.15 times.
    result = assess(replace(TEA_SHOP, monthly_volume=1000, monthly_fixed_cost=Decimal("6000.00")))
    factor = next(f for f in result.factors if f.code == "coverage")
    assert (factor.points, factor.value) == (10, "1.15 倍")
    assert "延长贷款期限" in factor.recommendation


def test_the_maximum_is_the_sum_of_the_factors_maxima():
    assert sum(f.max_points for f in assess(TEA_SHOP).factors) == MAX_POINTS


money = st.decimals(min_value=0, max_value=1_000_000, places=2)


@given(
    industry=st.sampled_from(sorted(INDUSTRIES)),
    site=st.sampled_from(sorted(SITES)),
    investment=st.decimals(min_value=1, max_value=1_000_000, places=2),
    own=money,
    loan=money,
    term=st.integers(0, 36),
    price=money,
    volume=st.integers(0, 10_000),
    cost=money,
    fixed=money,
    years=st.integers(0, 30),
    team=st.integers(1, 20),
)
def test_the_score_is_the_scaled_sum_of_the_factor_points(
    industry, site, investment, own, loan, term, price, volume, cost, fixed, years, team
):
    project = ProjectInputs(
        industry, site, investment, own, loan, term, Decimal("3.45"), price, volume, cost, fixed, years, team
    )
    result = assess(project)
    total = sum(f.points for f in result.factors)
    assert all(0 <= f.points <= f.max_points for f in result.factors)
    assert abs(Decimal(result.score) - Decimal(total) * 100 / MAX_POINTS) <= Decimal("0.5")
    assert result.grade == ("low" if result.score < 25 else "medium" if result.score < 50 else "high")
    assert set(result.recommendations) == {f.recommendation for f in result.factors if f.recommendation}
