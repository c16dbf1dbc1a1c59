"""The space application (入驻孵化载体申请) on the case engine.

The carrier's operator or the bureau of the carrier's region answers within the time limit: allocate a space, put
the application on the waiting list (the clock then stops: the answer has been given and the applicant waits by
score), or refuse with a reason. Allocation happens only through ``actions.application_allocate``, which picks the
space, checks the key-group reserve and writes the contract in the same transaction; the guard below refuses the
bare transition so the generic workbench page cannot allocate without a space.
"""

from typing import Any

from chuangye.cases import types
from chuangye.cases.types import APPLICANT, OFFICER, CaseType, Material, ServiceMode, Transition
from chuangye.incubators.access import CASE_TYPE, OPERATOR

DECISION_WORKDAYS = 10  # local practice; a bureau that wants another limit changes it here (ADR 0014)

STATES = {
    "submitted": "待审核",
    "awaiting_materials": "待补正材料",
    "waitlisted": "候补排队中",
    "allocated": "已分配场地",
    "refused": "不予入驻",
    "withdrawn": "已撤回",
}
FINAL = frozenset({"allocated", "refused", "withdrawn"})
OPEN_STATES = ("submitted", "waitlisted", "awaiting_materials")
DECIDERS = frozenset({OFFICER, OPERATOR})


def _space_chosen(case: Any, actor: Any) -> str | None:
    from chuangye.incubators.models import SpaceApplication

    application = SpaceApplication.objects.filter(case_id=case.pk).only("space_id").first()
    if application is None or application.space_id is None:
        return "请在孵化载体的入驻申请页面选择具体场地后分配"
    return None


def _on_transition(case: Any, action: str, actor: Any) -> None:
    from chuangye.incubators.actions import on_case_transition

    on_case_transition(case, action, actor)


SPACE_APPLICATION = types.register(
    CaseType(
        code=CASE_TYPE,
        prefix="FH",
        title="入驻创业孵化载体申请",
        applicant_kind="person",
        service_mode=ServiceMode.TIME_LIMITED,
        states=STATES,
        initial_state="submitted",
        final_states=FINAL,
        transitions=(
            Transition(
                "allocate",
                "分配场地",
                ("submitted", "waitlisted"),
                "allocated",
                DECIDERS,
                decides=True,
                guard=_space_chosen,
            ),
            Transition("waitlist", "暂无合适场地，列入候补", ("submitted",), "waitlisted", DECIDERS),
            Transition(
                "refuse", "不予入驻", ("submitted", "waitlisted"), "refused", DECIDERS, needs_comment=True, decides=True
            ),
            Transition("withdraw", "撤回申请", OPEN_STATES, "withdrawn", frozenset({APPLICANT})),
        ),
        time_limit_workdays=DECISION_WORKDAYS,
        extension_workdays=5,
        materials=(
            Material("plan", "创业项目计划书", required=False),
            Material("identity", "身份证明（系统已核验的可免于提交）", required=False),
        ),
        legal_basis="人社部发〔2022〕81号（创业载体筑巢行动）",
        description=(
            f"入驻创业孵化载体：运营机构或人社部门在{DECISION_WORKDAYS}个工作日内答复（分配场地、列入候补或不予入驻）。"
            "排序依据公开的优先分，重点群体优先；政府投资开发的载体为重点群体保留免费场地。"
        ),
        on_transition=_on_transition,
    )
)
