"""Loan-programme figures that the policy catalogue does not hold: rate cap, terms, extension, compensation and
fund leverage. Each is dated, cites its source, and may be overridden by a region (county over city over province
over national, then the latest ``from`` on or before the day), exactly as the policy parameters are.

They live here rather than in ``policies/parameters/loans.yaml`` only because that catalogue is owned elsewhere;
moving them there changes nothing for callers of ``loan_param``. Several national figures are not confirmed
(DOMAIN.md §14): their sources say 待核 and the pages that use them show the source.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from chuangye.core.errors import DomainError, FieldValueError

D = dt.date


@dataclass(frozen=True)
class LoanParam:
    name: str
    label: str
    type: str  # "rate" (fraction, e.g. 0.015), "int", "share" (fraction, e.g. 80%), "bool"
    values: tuple[tuple[dt.date, str, str], ...]  # (from, value, source)


@dataclass(frozen=True)
class ParamValue:
    name: str
    label: str
    value: Any
    source: str

    @property
    def display(self) -> str:
        if isinstance(self.value, bool):
            return "是" if self.value else "否"
        if isinstance(self.value, Decimal):
            return f"{self.value * 100:.2f}%".replace(".00%", "%")
        return str(self.value)


PARAMS: dict[str, LoanParam] = {
    p.name: p
    for p in (
        LoanParam(
            "loan.rate_cap_spread",
            "贷款利率上限（LPR 加点）",
            "rate",
            ((D(2021, 1, 1), "0.015", "财金〔2020〕21号：中西部地区不超过 LPR+150个基点（原文待核，各地可调整）"),),
        ),
        LoanParam(
            "loan.max_term_months.individual",
            "个人（含合伙）创业担保贷款最长期限（月）",
            "int",
            ((D(2016, 8, 24), "36", "财金〔2016〕85号：个人贷款期限最长不超过3年"),),
        ),
        LoanParam(
            "loan.max_term_months.enterprise",
            "小微企业创业担保贷款最长期限（月）",
            "int",
            ((D(2016, 8, 24), "24", "财金〔2016〕85号：小微企业贷款期限最长不超过2年"),),
        ),
        LoanParam(
            "loan.extension.max_months",
            "展期最长期限（月）",
            "int",
            ((D(2022, 11, 1), "12", "人社部发〔2022〕81号：展期不超过1年（印发日期待核）"),),
        ),
        LoanParam(
            "loan.extension.subsidised",
            "展期期间是否贴息",
            "bool",
            ((D(2016, 8, 24), "false", "地方长期做法：展期、逾期期间不予贴息（各地可另行规定）"),),
        ),
        LoanParam(
            "loan.compensation.overdue_days",
            "申请代偿的逾期天数（超过）",
            "int",
            ((D(2016, 8, 24), "90", "广州市做法：逾期超过90天按季申请代偿（全国口径待核）"),),
        ),
        LoanParam(
            "loan.compensation.share",
            "担保基金代偿比例",
            "share",
            ((D(2016, 8, 24), "0.80", "广州市做法：担保基金代偿80%，经办银行承担20%（全国口径待核）"),),
        ),
        LoanParam(
            "loan.fund.leverage",
            "担保基金放大倍数上限",
            "int",
            ((D(2016, 8, 24), "5", "常见默认值5倍（全国口径待核）"),),
        ),
        LoanParam(
            "loan.fund.leverage_raised",
            "上年度还款率达标时的放大倍数上限",
            "int",
            ((D(2020, 4, 15), "10", "财金〔2020〕21号：上年度还款率达到90%以上的可提高至10倍"),),
        ),
        LoanParam(
            "loan.fund.raise_repayment_rate",
            "提高放大倍数所需的上年度还款率",
            "share",
            ((D(2020, 4, 15), "0.90", "财金〔2020〕21号"),),
        ),
    )
}


def parse_value(param: LoanParam, raw: object, *, field: str = "value") -> Any:
    """Read a value of the parameter's type exactly; refuse anything else, naming the field."""
    text = str(raw).strip()
    try:
        if param.type == "bool":
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
            return text.lower() == "true"
        if param.type == "int":
            value = int(text)
            if value < 0:
                raise ValueError(text)
            return value
        number = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
        if not number.is_finite() or number < 0 or (param.type == "share" and number > 1):
            raise ValueError(text)
        return number
    except (ValueError, InvalidOperation):
        raise FieldValueError(field, param.label, "取值不正确") from None


def _region_chain(region_code: str) -> list[str]:
    from chuangye.policies.resolver import region_chain

    return region_chain(region_code)


def loan_param(name: str, *, on: dt.date, region_code: str = "") -> ParamValue:
    """The value of ``name`` in force on ``on`` for ``region_code``, with the document it comes from."""
    from chuangye.loans.models import LoanParameterOverride

    param = PARAMS[name]
    best: tuple[int, dt.date, str, str] | None = None
    for start, value, source in param.values:
        if start <= on and (best is None or (0, start) >= best[:2]):
            best = (0, start, value, source)
    chain = _region_chain(region_code)
    if chain:
        rows = LoanParameterOverride.objects.filter(name=name, region_code__in=chain, effective_from__lte=on)
        for row in rows.order_by("created_at", "id"):
            specificity = chain.index(row.region_code) + 1
            if best is None or (specificity, row.effective_from) >= best[:2]:
                source = f"行政区划 {row.region_code} {row.document_number}，{row.effective_from.isoformat()} 起施行"
                best = (specificity, row.effective_from, row.value, source)
    if best is None:
        raise DomainError(f"「{param.label}」在 {on.isoformat()} 尚无适用取值", code="parameter_missing")
    return ParamValue(name, param.label, parse_value(param, best[2]), best[3])
