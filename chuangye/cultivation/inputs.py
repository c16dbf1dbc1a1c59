"""Reading the founder's forms into the pure models' inputs: every bad value is refused naming its field."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from chuangye.core.errors import FieldValueError
from chuangye.core.money import parse_money
from chuangye.cultivation.scoring import INDUSTRIES, SITES, ProjectInputs
from chuangye.cultivation.simulator import MAX_MONTHS, METHODS, MIN_MONTHS, SimulationInputs

MAX_AMOUNT = Decimal("100000000")  # 1亿元: beyond any small venture the simulation is meant for
MAX_PRICE = Decimal("1000000")
MAX_VOLUME = 1_000_000

ASSESSMENT_LABELS = {
    "project_name": "项目名称",
    "industry": "行业",
    "site": "经营场地",
    "location": "经营地点",
    "investment": "总投资（元）",
    "own_funds": "自有资金（元）",
    "loan_amount": "拟贷款金额（元）",
    "loan_term_months": "贷款期限（月）",
    "loan_annual_rate": "贷款年利率（%）",
    "price": "预计平均售价（元）",
    "monthly_volume": "预计月销量（件/单）",
    "unit_variable_cost": "单位变动成本（元）",
    "monthly_fixed_cost": "月固定成本（元，含房租、工资、水电）",
    "experience_years": "相关行业经验（年）",
    "team_size": "团队人数（含本人）",
}

SIMULATION_LABELS = {
    "name": "方案名称",
    "months": "模拟月数",
    "start_month": "开业月份",
    "opening_cash": "自有资金投入（元）",
    "initial_investment": "开办投入（元，第1个月支付）",
    "price": "平均售价（元）",
    "monthly_volume": "正常月销量（件/单）",
    "unit_variable_cost": "单位变动成本（元）",
    "monthly_fixed_cost": "月固定成本（元，房租水电等）",
    "staff_count": "雇员人数",
    "monthly_wage": "人均月工资及社保（元）",
    "loan_principal": "贷款金额（元）",
    "loan_term_months": "贷款期限（月）",
    "loan_annual_rate": "贷款年利率（%）",
    "loan_method": "还款方式",
    "subsidy_once": "一次性补贴（元）",
    "subsidy_once_month": "一次性补贴到账月",
    "subsidy_monthly": "每月补贴（元）",
    "subsidy_monthly_months": "每月补贴月数",
}
SEASON_FIELDS = [f"season_{m}" for m in range(1, 13)]


def _money(data: Mapping[str, Any], name: str, labels: Mapping[str, str], *, maximum: Decimal = MAX_AMOUNT) -> Decimal:
    raw = data.get(name)
    if raw is None or str(raw).strip() == "":
        raw = "0"
    return parse_money(raw, field=name, label=labels[name], maximum=maximum)


def _int(data: Mapping[str, Any], name: str, labels: Mapping[str, str], low: int, high: int, default: int = 0) -> int:
    raw = str(data.get(name) if data.get(name) is not None else "").strip() or str(default)
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise FieldValueError(name, labels[name], f"应为 {low} 至 {high} 之间的整数")
    return int(raw)


def _rate(data: Mapping[str, Any], name: str, labels: Mapping[str, str]) -> Decimal:
    raw = str(data.get(name) or "0").strip()
    try:
        rate = Decimal(raw)
    except InvalidOperation:
        raise FieldValueError(name, labels[name], "应为百分数，例如 3.45") from None
    if not rate.is_finite() or not 0 <= rate <= 24 or rate != rate.quantize(Decimal("0.0001")):
        raise FieldValueError(name, labels[name], "应为0至24之间、最多四位小数的百分数，例如 3.45")
    return rate


def _text(data: Mapping[str, Any], name: str, labels: Mapping[str, str], *, high: int, required: bool = True) -> str:
    value = str(data.get(name) or "").strip()
    if required and len(value) < 2:
        raise FieldValueError(name, labels[name], "请填写（至少2个字）")
    if len(value) > high:
        raise FieldValueError(name, labels[name], f"不能超过{high}个字")
    if value and value[0] in "=+-@":
        raise FieldValueError(name, labels[name], "不能以 = + - @ 开头")
    return value


def parse_assessment(data: Mapping[str, Any]) -> tuple[dict[str, str], ProjectInputs]:
    """The project's descriptive fields and the scoring inputs."""
    labels = ASSESSMENT_LABELS
    text = {
        "project_name": _text(data, "project_name", labels, high=60),
        "location": _text(data, "location", labels, high=100, required=False),
    }
    industry = str(data.get("industry") or "")
    if industry not in INDUSTRIES:
        raise FieldValueError("industry", labels["industry"], "请选择行业")
    site = str(data.get("site") or "")
    if site not in SITES:
        raise FieldValueError("site", labels["site"], "请选择场地情况")
    investment = _money(data, "investment", labels)
    if investment <= 0:
        raise FieldValueError("investment", labels["investment"], "必须大于零")
    loan = _money(data, "loan_amount", labels)
    term = _int(data, "loan_term_months", labels, 0, 36)
    if loan > 0 and term == 0:
        raise FieldValueError("loan_term_months", labels["loan_term_months"], "有贷款时须填写1至36个月")
    inputs = ProjectInputs(
        industry=industry,
        site=site,
        investment=investment,
        own_funds=_money(data, "own_funds", labels),
        loan_amount=loan,
        loan_term_months=term,
        loan_annual_rate=_rate(data, "loan_annual_rate", labels),
        price=_money(data, "price", labels, maximum=MAX_PRICE),
        monthly_volume=_int(data, "monthly_volume", labels, 0, MAX_VOLUME),
        unit_variable_cost=_money(data, "unit_variable_cost", labels, maximum=MAX_PRICE),
        monthly_fixed_cost=_money(data, "monthly_fixed_cost", labels),
        experience_years=_int(data, "experience_years", labels, 0, 60),
        team_size=_int(data, "team_size", labels, 1, 500, default=1),
    )
    return text, inputs


def parse_simulation(data: Mapping[str, Any]) -> SimulationInputs:
    labels = SIMULATION_LABELS
    months = _int(data, "months", labels, MIN_MONTHS, MAX_MONTHS, default=24)
    method = str(data.get("loan_method") or "equal_principal")
    if method not in METHODS:
        raise FieldValueError("loan_method", labels["loan_method"], "请选择还款方式")
    seasonality = []
    for m, name in enumerate(SEASON_FIELDS, start=1):
        raw = str(data.get(name) if data.get(name) is not None else "").strip() or "100"
        if not raw.isdigit() or int(raw) > 300:
            raise FieldValueError(name, f"{m}月销量系数（%）", "应为0至300之间的整数")
        seasonality.append(int(raw))
    loan = _money(data, "loan_principal", labels)
    term = _int(data, "loan_term_months", labels, 0, 60)
    if loan > 0 and term == 0:
        raise FieldValueError("loan_term_months", labels["loan_term_months"], "有贷款时须填写1至60个月")
    return SimulationInputs(
        months=months,
        start_month=_int(data, "start_month", labels, 1, 12, default=1),
        opening_cash=_money(data, "opening_cash", labels),
        initial_investment=_money(data, "initial_investment", labels),
        price=_money(data, "price", labels, maximum=MAX_PRICE),
        monthly_volume=_int(data, "monthly_volume", labels, 0, MAX_VOLUME),
        unit_variable_cost=_money(data, "unit_variable_cost", labels, maximum=MAX_PRICE),
        monthly_fixed_cost=_money(data, "monthly_fixed_cost", labels),
        staff_count=_int(data, "staff_count", labels, 0, 500),
        monthly_wage=_money(data, "monthly_wage", labels, maximum=MAX_PRICE),
        loan_principal=loan,
        loan_term_months=term if loan > 0 else 0,
        loan_annual_rate=_rate(data, "loan_annual_rate", labels),
        loan_method=method,
        subsidy_once=_money(data, "subsidy_once", labels),
        subsidy_once_month=_int(data, "subsidy_once_month", labels, 1, MAX_MONTHS, default=1),
        subsidy_monthly=_money(data, "subsidy_monthly", labels, maximum=MAX_PRICE),
        subsidy_monthly_months=_int(data, "subsidy_monthly_months", labels, 0, MAX_MONTHS),
        seasonality=tuple(seasonality),
    )


def simulation_to_json(inputs: SimulationInputs) -> dict[str, Any]:
    """The stored form of a scenario's inputs: strings for money, so nothing is lost to floats."""
    return {
        "months": inputs.months,
        "start_month": inputs.start_month,
        "opening_cash": str(inputs.opening_cash),
        "initial_investment": str(inputs.initial_investment),
        "price": str(inputs.price),
        "monthly_volume": inputs.monthly_volume,
        "unit_variable_cost": str(inputs.unit_variable_cost),
        "monthly_fixed_cost": str(inputs.monthly_fixed_cost),
        "staff_count": inputs.staff_count,
        "monthly_wage": str(inputs.monthly_wage),
        "loan_principal": str(inputs.loan_principal),
        "loan_term_months": inputs.loan_term_months,
        "loan_annual_rate": str(inputs.loan_annual_rate),
        "loan_method": inputs.loan_method,
        "subsidy_once": str(inputs.subsidy_once),
        "subsidy_once_month": inputs.subsidy_once_month,
        "subsidy_monthly": str(inputs.subsidy_monthly),
        "subsidy_monthly_months": inputs.subsidy_monthly_months,
        **{name: inputs.seasonality[i] for i, name in enumerate(SEASON_FIELDS)},
    }


def simulation_from_json(stored: Mapping[str, Any]) -> SimulationInputs:
    return parse_simulation({k: str(v) for k, v in stored.items()})
