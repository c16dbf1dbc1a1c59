"""免申即享: the case type the proactive scan opens when a region grants a policy without an application.

The scan found the person eligible and recorded the decision; the case waits for an officer of the person's county
to check it. Confirming decides the policy again on that day from the registry's current facts, so a person who
stopped qualifying in between is refused with the criterion that now fails; declining needs a reason, which the
person is told. Assumption (not in the notice): 10 working days to confirm, like an ordinary subsidy review.
"""

from typing import Any

from django.utils import timezone

from chuangye.cases import types
from chuangye.cases.types import OFFICER, CaseType, ServiceMode, Transition

CASE_TYPE = "policy.grant"
STATES = {"pending": "待核对确认", "granted": "已确认发放", "declined": "不予发放"}


def _still_eligible(case: Any, actor: Any) -> str | None:
    from chuangye.policies.decide import decide
    from chuangye.registry.facts import person_facts

    grant = case.proactive_grant
    today = timezone.localdate()
    outcome = decide(grant.policy_code, person_facts(grant.person, today), on=today, region_code=case.region_code)
    if outcome.eligible:
        return None
    failed = next((c for c in outcome.criteria if not c.passed), None)
    return "按当前登记信息已不符合条件" + (f"：{failed.reason}" if failed is not None else "")


def _decided(case: Any, actor: Any) -> None:
    from chuangye.policies.actions import proactive_grant_decided

    proactive_grant_decided(case=case, actor=actor)


types.register(
    CaseType(
        code=CASE_TYPE,
        prefix="MS",
        title="免申即享政策待确认",
        applicant_kind="person",
        service_mode=ServiceMode.TIME_LIMITED,
        states=STATES,
        initial_state="pending",
        final_states=frozenset({"granted", "declined"}),
        transitions=(
            Transition(
                "confirm",
                "核对无误，确认发放",
                ("pending",),
                "granted",
                frozenset({OFFICER}),
                decides=True,
                guard=_still_eligible,
            ),
            Transition("decline", "不予发放", ("pending",), "declined", frozenset({OFFICER}), needs_comment=True),
        ),
        time_limit_workdays=10,
        paused_states=frozenset(),
        description="政策找人扫描发现符合条件、且本地实行“免申即享”的，系统生成本办件，经办人员核对后确认发放，本人无需申请。",
        legal_basis="地方“免申即享”实施办法（由地方在政策参数中开启）",
        on_decided=_decided,
    )
)
