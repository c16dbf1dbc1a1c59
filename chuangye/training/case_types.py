"""The class-opening application (开班申请) on the case engine.

An institution on the published list applies to open a class; the bureau of the class's region approves it or
refuses with a reason. It must be approved before the class starts, or it earns no subsidy (DOMAIN §5), so the
engine refuses an approval on or after the start date.
"""

from typing import Any

from chuangye.cases import types
from chuangye.cases.types import APPLICANT, OFFICER, CaseType, Material, ServiceMode, Transition

STATES = {
    "submitted": "已提交，待审核",
    "awaiting_materials": "待补正材料",
    "approved": "准予开班",
    "refused": "不予开班",
    "withdrawn": "已撤回",
}
FINAL = frozenset({"approved", "refused", "withdrawn"})


def _before_start(case: Any, actor: Any) -> str | None:
    from django.utils import timezone

    klass = case.training_class
    if timezone.localdate() >= klass.start_date:
        return "培训班已到开班日期，开班前未获批准的班级不能再批准（不享受培训补贴）"
    return None


def _on_decided(case: Any, actor: Any) -> None:
    from chuangye.training.actions import on_class_decided

    on_class_decided(case, actor)


CLASS = types.register(
    CaseType(
        code="training.class",
        prefix="PX",
        title="创业培训开班申请",
        applicant_kind="business",
        service_mode=ServiceMode.TIME_LIMITED,
        states=STATES,
        initial_state="submitted",
        final_states=FINAL,
        transitions=(
            Transition(
                "approve",
                "准予开班",
                ("submitted",),
                "approved",
                frozenset({OFFICER}),
                decides=True,
                guard=_before_start,
            ),
            Transition(
                "refuse", "不予开班", ("submitted",), "refused", frozenset({OFFICER}), needs_comment=True, decides=True
            ),
            Transition(
                "withdraw", "撤回申请", ("submitted", "awaiting_materials"), "withdrawn", frozenset({APPLICANT})
            ),
        ),
        time_limit_workdays=5,
        materials=(
            Material("plan", "教学计划及课程表"),
            Material("venue", "培训场地证明（线上培训免）", required=False),
        ),
        legal_basis="人社部发〔2022〕81号；财社〔2017〕164号《就业补助资金管理办法》",
        description="定点培训机构在开班前提出申请，人社部门5个工作日内审核；未经批准开班的不享受培训补贴。",
        on_decided=_on_decided,
    )
)
