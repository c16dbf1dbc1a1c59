"""The three registration case types on the case engine (《市场主体登记管理条例》 and its 实施细则).

Complete, compliant applications are decided on the spot at acceptance (当场办结); otherwise within 3 working days,
+3 with a supervisor's approval (限时办结). 异地可办: an office other than the registration authority may accept an
application, check it is complete and pass it on ("accept" by the accepting office).
"""

from typing import Any

from chuangye.cases import types
from chuangye.cases.types import ACCEPTING_OFFICER, APPLICANT, OFFICER, CaseType, Material, ServiceMode, Transition

LEGAL_BASIS = "《市场主体登记管理条例》（国务院令第746号）及其实施细则"

STATES = {
    "submitted": "已提交，待受理",
    "under_review": "审查中",
    "awaiting_materials": "待补正材料",
    "public_notice": "简易注销公告中",
    "approved": "准予登记",
    "refused": "不予登记",
    "withdrawn": "已撤回",
}
FINAL = frozenset({"approved", "refused", "withdrawn"})


def _approve_hook(case: Any, actor: Any) -> None:
    from chuangye.registration.decisions import on_decided

    on_decided(case, actor)


def _notice_over(case: Any, actor: Any) -> str | None:
    from chuangye.registration.decisions import deregistration_notice_pending

    return deregistration_notice_pending(case)


def _notice_needed(case: Any, actor: Any) -> str | None:
    from chuangye.registration.decisions import deregistration_notice_needed

    return None if deregistration_notice_needed(case) else "个体工商户简易注销无需公告"


def _on_transition(case: Any, action: str, actor: Any) -> None:
    from chuangye.registration.decisions import on_transition

    on_transition(case, action, actor)


def _transitions(with_notice: bool = False) -> tuple[Transition, ...]:
    """The same review flow for all three; deregistration adds the public notice and waits for it to end."""
    guard = _notice_over if with_notice else None
    decide = "注销" if with_notice else "登记"
    transitions = [
        Transition("accept", "受理", ("submitted",), "under_review", frozenset({OFFICER, ACCEPTING_OFFICER})),
        Transition(
            "approve_on_spot",
            f"当场准予{decide}",
            ("submitted",),
            "approved",
            frozenset({OFFICER}),
            decides=True,
            guard=guard,
        ),
        Transition(
            "approve", f"准予{decide}", ("under_review",), "approved", frozenset({OFFICER}), decides=True, guard=guard
        ),
        Transition(
            "refuse",
            f"不予{decide}",
            ("under_review",),
            "refused",
            frozenset({OFFICER}),
            needs_comment=True,
            decides=True,
        ),
        Transition(
            "withdraw",
            "撤回申请",
            ("submitted", "under_review", "awaiting_materials"),
            "withdrawn",
            frozenset({APPLICANT}),
        ),
    ]
    if with_notice:
        transitions += [
            Transition(
                "start_notice",
                "发布简易注销公告（20日）",
                ("under_review",),
                "public_notice",
                frozenset({OFFICER}),
                guard=_notice_needed,
            ),
            Transition(
                "end_notice",
                "公告期满，恢复审查",
                ("public_notice",),
                "under_review",
                frozenset({OFFICER}),
                guard=_notice_over,
            ),
        ]
    return tuple(transitions)


def _declare(code: str, prefix: str, title: str, materials: tuple[Material, ...], with_notice: bool = False) -> None:
    types.register(
        CaseType(
            code=code,
            prefix=prefix,
            title=title,
            applicant_kind="person",
            service_mode=ServiceMode.TIME_LIMITED,
            states=STATES,
            initial_state="submitted",
            final_states=FINAL,
            transitions=_transitions(with_notice),
            time_limit_workdays=3,
            extension_workdays=3,
            materials=materials,
            legal_basis=LEGAL_BASIS,
            description=f"{title}：材料齐全、符合法定形式的当场登记；需要核实的3个工作日内办结，情况复杂的经批准可延长3个工作日。",
            on_decided=_approve_hook,
            on_transition=_on_transition,
        )
    )


_declare(
    "registration.establish",
    "DJ",
    "市场主体设立登记",
    (
        Material("application", "登记申请书"),
        Material("identity", "投资人（经营者）身份证明"),
        Material("premises", "住所（经营场所）使用证明"),
        Material("articles", "公司章程（有限责任公司）", required=False),
    ),
)
_declare(
    "registration.change",
    "BG",
    "市场主体变更登记",
    (Material("application", "变更登记申请书"), Material("resolution", "变更决议或决定")),
)
_declare(
    "registration.deregister",
    "ZX",
    "市场主体简易注销登记",
    (Material("application", "简易注销登记申请书"), Material("commitment", "全体投资人承诺书")),
    with_notice=True,
)
