"""Nurturing founders over the API: the risk model and the cash-flow simulator as calculators (nothing is stored),
and the caller's own (or, for staff, their region's) saved assessments. Inputs are the web forms' fields, money as
strings in yuan; bad values answer 422 naming the field."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from chuangye.cultivation.access import assessments_for
from chuangye.cultivation.inputs import parse_assessment, parse_simulation
from chuangye.cultivation.scoring import assess
from chuangye.cultivation.simulator import simulate, stressed

router = Router(tags=["创业培育"])


class FormIn(Schema):
    """The form's fields by name, e.g. {"investment": "200000", "own_funds": "50000", ...}."""

    fields: dict[str, str | int]


class FactorOut(Schema):
    code: str
    label: str
    value: str
    points: int
    max_points: int
    reason: str
    recommendation: str


class AssessmentOut(Schema):
    version: str
    score: int
    grade: str
    grade_label: str
    monthly_profit: str
    monthly_repayment: str
    factors: list[FactorOut]
    recommendations: list[str]


class MonthOut(Schema):
    month: int
    opening: str
    inflows: str
    outflows: str
    profit: str
    closing: str
    loan_balance: str


class RunOut(Schema):
    break_even_month: int | None
    payback_month: int | None
    lowest_cash: str
    lowest_cash_month: int
    final_cash: str
    warnings: list[str]
    months: list[MonthOut]


class SimulationOut(Schema):
    base: RunOut
    stress: RunOut


class SavedAssessmentOut(Schema):
    id: int
    project_name: str
    model_version: str
    score: int
    grade: str
    created_at: Any


@router.post("/assess", response=AssessmentOut, summary="项目风险评估（试算，不保存）")
def assess_api(request: HttpRequest, payload: FormIn) -> dict[str, Any]:
    _, inputs = parse_assessment(payload.fields)
    result = assess(inputs)
    return {
        "version": result.version,
        "score": result.score,
        "grade": result.grade,
        "grade_label": result.grade_label,
        "monthly_profit": str(result.monthly_profit),
        "monthly_repayment": str(result.monthly_repayment),
        "factors": [f.__dict__ for f in result.factors],
        "recommendations": list(result.recommendations),
    }


def _run(outcome: Any) -> dict[str, Any]:
    return {
        "break_even_month": outcome.break_even_month,
        "payback_month": outcome.payback_month,
        "lowest_cash": str(outcome.lowest_cash),
        "lowest_cash_month": outcome.lowest_cash_month,
        "final_cash": str(outcome.final_cash),
        "warnings": list(outcome.warnings),
        "months": [
            {
                "month": m.month,
                "opening": str(m.opening),
                "inflows": str(m.inflows),
                "outflows": str(m.outflows),
                "profit": str(m.profit),
                "closing": str(m.closing),
                "loan_balance": str(m.loan_balance),
            }
            for m in outcome.months
        ],
    }


@router.post("/simulate", response=SimulationOut, summary="商业实战模拟（试算，不保存），含销量下降20%的压力情景")
def simulate_api(request: HttpRequest, payload: FormIn) -> dict[str, Any]:
    inputs = parse_simulation(payload.fields)
    return {"base": _run(simulate(inputs)), "stress": _run(simulate(stressed(inputs)))}


@router.get("/assessments", response=list[SavedAssessmentOut], summary="我的（或本辖区的）项目风险评估")
def assessments_api(request: HttpRequest) -> Any:
    return assessments_for(request.user)[:200]
