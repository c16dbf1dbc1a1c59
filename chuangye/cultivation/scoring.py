"""项目风险评估: a transparent, versioned scoring model for a founder's project. Pure: no models, no database.

Each factor looks at one thing the founder declared, awards risk points (0 = no concern, up to the factor's
maximum) and says why; the grade follows from the total. The thresholds are the model's, written down here and
shown on the page, so a founder, a mentor and a bank read the same arithmetic. A saved assessment keeps the model
version and every factor's result, so a later model does not rewrite an earlier grade.

Assumptions (version 2026.1, written here and in docs/decisions/0012): monthly loan repayment is estimated as equal
principal over the loan term plus interest at the declared annual rate; operating profit is monthly sales minus
variable costs minus fixed costs (rent, wages, utilities) before loan service.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from chuangye.core.money import ZERO, to_fen

MODEL_VERSION = "2026.1"

# Industry base risk (points out of 10): how often small ventures of the kind fail or need working capital early.
INDUSTRIES: dict[str, tuple[str, int]] = {
    "catering": ("餐饮", 8),
    "retail": ("零售", 6),
    "services": ("生活服务", 4),
    "ecommerce": ("电子商务", 6),
    "culture": ("文化创意", 6),
    "technology": ("科技研发", 9),
    "manufacturing": ("加工制造", 7),
    "agriculture": ("种植养殖", 7),
    "other": ("其他", 5),
}
SITES: dict[str, tuple[str, int]] = {
    "secured": ("场地已落实（自有或已签租约）", 0),
    "negotiating": ("场地洽谈中", 3),
    "none": ("场地尚未确定", 6),
    "online": ("线上经营，无需固定场地", 1),
}

GRADES = (  # (upper bound exclusive, code, label)
    (25, "low", "低风险"),
    (50, "medium", "中等风险"),
    (101, "high", "高风险"),
)


@dataclass(frozen=True)
class ProjectInputs:
    industry: str
    site: str
    investment: Decimal  # total start-up investment, yuan
    own_funds: Decimal
    loan_amount: Decimal
    loan_term_months: int
    loan_annual_rate: Decimal  # percent, e.g. Decimal("3.45")
    price: Decimal  # average selling price per unit
    monthly_volume: int  # units sold in a normal month
    unit_variable_cost: Decimal
    monthly_fixed_cost: Decimal  # rent, wages, utilities
    experience_years: int  # years of experience in this trade
    team_size: int  # people who work in the business, founder included


@dataclass(frozen=True)
class Factor:
    code: str
    label: str
    value: str  # the measured value, as shown
    points: int
    max_points: int
    reason: str
    recommendation: str = ""


@dataclass(frozen=True)
class Result:
    version: str
    score: int
    grade: str
    grade_label: str
    factors: tuple[Factor, ...]
    monthly_profit: Decimal
    monthly_repayment: Decimal
    recommendations: tuple[str, ...] = field(default=())


def _pct(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


def monthly_repayment(p: ProjectInputs) -> Decimal:
    """First month's loan service: equal principal plus a month's interest on the whole loan."""
    if p.loan_amount <= 0 or p.loan_term_months <= 0:
        return ZERO
    principal = p.loan_amount / p.loan_term_months
    interest = p.loan_amount * p.loan_annual_rate / 100 / 12
    return to_fen(principal + interest)


def monthly_profit(p: ProjectInputs) -> Decimal:
    return to_fen((p.price - p.unit_variable_cost) * p.monthly_volume - p.monthly_fixed_cost)


def _own_funds(p: ProjectInputs) -> Factor:
    ratio = p.own_funds / p.investment if p.investment > 0 else Decimal(1)
    value = _pct(ratio)
    if ratio >= Decimal("0.5"):
        return Factor("own_funds", "自有资金占比", value, 0, 20, "自有资金不低于投资额的50%")
    if ratio >= Decimal("0.3"):
        return Factor(
            "own_funds", "自有资金占比", value, 8, 20, "自有资金占投资额30%至50%", "可考虑增加自有资金或分期投入"
        )
    return Factor(
        "own_funds",
        "自有资金占比",
        value,
        20,
        20,
        "自有资金低于投资额的30%",
        f"自有资金低于投资额的30%：建议自有资金至少达到 {to_fen(p.investment * Decimal('0.3'))} 元，或压缩开办投入",
    )


def _funding_gap(p: ProjectInputs) -> Factor:
    gap = p.investment - p.own_funds - p.loan_amount
    if gap <= 0:
        return Factor("funding_gap", "资金缺口", "0.00 元", 0, 10, "自有资金与贷款足以覆盖投资")
    return Factor(
        "funding_gap",
        "资金缺口",
        f"{to_fen(gap)} 元",
        10,
        10,
        "自有资金与贷款之和低于投资额",
        f"尚有 {to_fen(gap)} 元资金缺口：请落实资金来源或减少投资",
    )


def _margin(p: ProjectInputs) -> Factor:
    if p.price <= 0:
        return Factor("margin", "毛利率", "—", 15, 15, "未填写售价", "请填写预计售价")
    ratio = (p.price - p.unit_variable_cost) / p.price
    value = _pct(ratio)
    if ratio <= 0:
        return Factor(
            "margin",
            "毛利率",
            value,
            15,
            15,
            "售价不高于单位变动成本",
            "售价低于成本，卖得越多亏得越多：请调整定价或降低进货成本",
        )
    if ratio < Decimal("0.2"):
        return Factor("margin", "毛利率", value, 9, 15, "毛利率低于20%", "毛利率偏低：建议优化进货渠道或提高客单价")
    if ratio < Decimal("0.4"):
        return Factor("margin", "毛利率", value, 4, 15, "毛利率20%至40%")
    return Factor("margin", "毛利率", value, 0, 15, "毛利率不低于40%")


def _coverage(p: ProjectInputs, profit: Decimal, repayment: Decimal) -> Factor:
    if repayment == 0:
        points = 0 if profit > 0 else 20
        reason = "无贷款" + ("，经营有盈利" if profit > 0 else "，但预计月经营利润不为正")
        advice = "" if profit > 0 else "预计经营不盈利：请重新核算销量、价格与固定成本"
        return Factor("coverage", "还款保障倍数", "无贷款", points, 20, reason, advice)
    ratio = profit / repayment
    value = f"{ratio.quantize(Decimal('0.01'))} 倍"
    if ratio >= Decimal("1.5"):
        return Factor("coverage", "还款保障倍数", value, 0, 20, "月经营利润不低于月还款额的1.5倍")
    if ratio >= 1:
        return Factor(
            "coverage",
            "还款保障倍数",
            value,
            10,
            20,
            "月经营利润仅为月还款额的1至1.5倍",
            "还款余地较小：建议延长贷款期限或降低贷款金额",
        )
    return Factor(
        "coverage",
        "还款保障倍数",
        value,
        20,
        20,
        "月经营利润不足以支付月还款额",
        f"预计月经营利润 {profit} 元低于月还款额 {repayment} 元：请降低贷款金额、延长期限或提高销量",
    )


def _payback(p: ProjectInputs, profit: Decimal) -> Factor:
    if profit <= 0:
        return Factor(
            "payback", "投资回收期", "无法收回", 15, 15, "月经营利润不为正，无法收回投资", "请先确保单月经营能够盈利"
        )
    months = (p.investment / profit).quantize(Decimal("0.1"))
    value = f"{months} 个月"
    if months <= 12:
        return Factor("payback", "投资回收期", value, 0, 15, "12个月内可收回投资")
    if months <= 24:
        return Factor("payback", "投资回收期", value, 6, 15, "12至24个月收回投资")
    return Factor(
        "payback", "投资回收期", value, 15, 15, "回收期超过24个月", "回收期较长：建议分阶段投入，先小规模试营业"
    )


def _experience(p: ProjectInputs) -> Factor:
    value = f"{p.experience_years} 年"
    if p.experience_years >= 3:
        return Factor("experience", "行业经验", value, 0, 10, "有3年以上相关经验")
    if p.experience_years >= 1:
        return Factor(
            "experience", "行业经验", value, 4, 10, "有1至3年相关经验", "建议参加创业实训或请创业导师跟踪指导"
        )
    return Factor(
        "experience", "行业经验", value, 10, 10, "没有相关行业经验", "没有行业经验：建议先参加创业训练营或在同行业实习"
    )


def _team(p: ProjectInputs) -> Factor:
    value = f"{p.team_size} 人"
    if p.team_size >= 2:
        return Factor("team", "团队", value, 0, 5, "有合伙人或员工分担经营")
    return Factor("team", "团队", value, 5, 5, "仅创业者一人", "一人经营抗风险能力弱：可考虑吸收合伙人或家人参与")


def _industry(p: ProjectInputs) -> Factor:
    label, points = INDUSTRIES[p.industry]
    return Factor("industry", "行业基础风险", label, points, 10, f"{label}行业基础风险 {points} 分（满分10分）")


def _site(p: ProjectInputs) -> Factor:
    label, points = SITES[p.site]
    advice = "请尽早落实经营场地，可申请入驻创业孵化基地" if points >= 3 else ""
    return Factor("site", "经营场地", label, points, 6, label, advice)


def assess(p: ProjectInputs) -> Result:
    """Grade the project. Points add up to at most 111; the score is scaled to 0-100 and rounded half-up."""
    profit = monthly_profit(p)
    repayment = monthly_repayment(p)
    factors = (
        _own_funds(p),
        _funding_gap(p),
        _margin(p),
        _coverage(p, profit, repayment),
        _payback(p, profit),
        _experience(p),
        _team(p),
        _industry(p),
        _site(p),
    )
    points = sum(f.points for f in factors)
    maximum = sum(f.max_points for f in factors)
    score = int((Decimal(points) * 100 / maximum).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    grade, label = next((code, text) for bound, code, text in GRADES if score < bound)
    return Result(
        version=MODEL_VERSION,
        score=score,
        grade=grade,
        grade_label=label,
        factors=factors,
        monthly_profit=profit,
        monthly_repayment=repayment,
        recommendations=tuple(f.recommendation for f in factors if f.recommendation),
    )


MAX_POINTS = 111  # the sum of every factor's maximum, checked by a test
