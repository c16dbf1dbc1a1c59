"""Case types of plan 8 on the case engine: employment and unemployment registration, rights protection (with the
green channel) and the social-insurance subsidy application.

Time limits. Registration (人社厅发〔2020〕3号 and the local service standard, DOMAIN §8): online within 10 working
days, at the counter the same day (the counter case's due date is set to the day of submission). Rights protection:
the platform assumes 15 working days for an ordinary request and 5 for the green channel (requests raised from a
gig, and every unpaid-wage request); both are local service standards, not national figures.
"""

from typing import Any

from chuangye.cases import types
from chuangye.cases.types import APPLICANT, OFFICER, CaseType, Material, ServiceMode, Transition

LEGAL_AID = "legal_aid"  # the legal-aid organisation a rights case was referred to
REGISTRATION_WORKDAYS = 10
RIGHTS_WORKDAYS = 15
GREEN_CHANNEL_WORKDAYS = 5
SUBSIDY_WORKDAYS = 20

# Words that would make a refusal one "because of household registration or missing files", which is not allowed.
FORBIDDEN_REFUSAL_WORDS = ("户籍", "户口", "档案", "外地", "非本地", "外省", "外市")

REGISTRATION_STATES = {
    "submitted": "已提交，待核实",
    "awaiting_materials": "待补正材料",
    "approved": "已登记",
    "refused": "不予登记",
    "withdrawn": "已撤回",
}


def _on_registration(case: Any, action: str, actor: Any) -> None:
    from chuangye.flexible.actions import on_registration_transition

    on_registration_transition(case, action, actor)


def _registration(code: str, prefix: str, title: str) -> CaseType:
    return CaseType(
        code=code,
        prefix=prefix,
        title=title,
        applicant_kind="person",
        service_mode=ServiceMode.TIME_LIMITED,
        states=REGISTRATION_STATES,
        initial_state="submitted",
        final_states=frozenset({"approved", "refused", "withdrawn"}),
        transitions=(
            Transition("approve", "准予登记", ("submitted",), "approved", frozenset({OFFICER})),
            Transition(
                "refuse", "不予登记", ("submitted",), "refused", frozenset({OFFICER}), needs_comment=True, decides=True
            ),
            Transition(
                "withdraw", "撤回申请", ("submitted", "awaiting_materials"), "withdrawn", frozenset({APPLICANT})
            ),
        ),
        time_limit_workdays=REGISTRATION_WORKDAYS,
        materials=(Material("commitment", "个人书面承诺（在线勾选即可）"),),
        legal_basis="人社部发〔2014〕97号；人社厅发〔2020〕3号",
        description=(
            f"{title}：在户籍地或常住地均可办理，不得以户籍或档案为由拒绝；本人自主申报并书面承诺。"
            f"窗口办理当日办结，网上办理{REGISTRATION_WORKDAYS}个工作日内办结。"
        ),
        on_transition=_on_registration,
    )


def _rights_resolved(case: Any, action: str, actor: Any) -> None:
    from chuangye.flexible.actions import on_rights_transition

    on_rights_transition(case, action, actor)


def _referral_made(case: Any, actor: Any) -> str | None:
    request = getattr(case, "rights_request", None)
    return None if request is not None and request.legal_aid_id else "请先选择承接的法律援助机构"


RIGHTS = CaseType(
    code="flexible.rights",
    prefix="WQ",
    title="灵活就业人员维权与法律援助",
    applicant_kind="person",
    service_mode=ServiceMode.TIME_LIMITED,
    states={
        "submitted": "已提交，待受理",
        "awaiting_materials": "待补正材料",
        "accepted": "已受理，调解处理中",
        "referred": "已转介法律援助机构",
        "resolved": "已办结",
        "withdrawn": "已撤回",
    },
    initial_state="submitted",
    final_states=frozenset({"resolved", "withdrawn"}),
    transitions=(
        Transition("accept", "受理", ("submitted",), "accepted", frozenset({OFFICER})),
        Transition(
            "refer", "转介法律援助", ("submitted", "accepted"), "referred", frozenset({OFFICER}), guard=_referral_made
        ),
        Transition("resolve", "办结（调解结果）", ("accepted",), "resolved", frozenset({OFFICER}), needs_comment=True),
        Transition(
            "aid_resolve", "法律援助办结", ("referred",), "resolved", frozenset({LEGAL_AID}), needs_comment=True
        ),
        Transition(
            "withdraw", "撤回诉求", ("submitted", "accepted", "awaiting_materials"), "withdrawn", frozenset({APPLICANT})
        ),
    ),
    time_limit_workdays=RIGHTS_WORKDAYS,
    extension_workdays=5,
    materials=(Material("evidence", "证据材料（接单记录、聊天记录、照片等）", required=False),),
    legal_basis="人社部发〔2022〕38号；人社部发〔2023〕65号",
    description=(
        f"拖欠报酬、工伤、约定纠纷等诉求：一般{RIGHTS_WORKDAYS}个工作日内办结；从零工订单一键发起的和拖欠报酬的"
        f"走绿色通道，{GREEN_CHANNEL_WORKDAYS}个工作日内办结；需要时转介法律援助机构。"
    ),
    on_transition=_rights_resolved,
)


def _subsidy_eligible(case: Any, actor: Any) -> str | None:
    from chuangye.flexible.actions import enrolment_refusal

    return enrolment_refusal(case)


def _subsidy_decided(case: Any, actor: Any) -> None:
    from chuangye.flexible.actions import on_enrolment_decided

    on_enrolment_decided(case, actor)


SUBSIDY = CaseType(
    code="flexible.si_subsidy",
    prefix="SB",
    title="灵活就业社会保险补贴资格申请",
    applicant_kind="person",
    service_mode=ServiceMode.TIME_LIMITED,
    states={
        "submitted": "已提交，待审核",
        "awaiting_materials": "待补正材料",
        "approved": "已核定补贴资格",
        "refused": "不予核定",
        "withdrawn": "已撤回",
    },
    initial_state="submitted",
    final_states=frozenset({"approved", "refused", "withdrawn"}),
    transitions=(
        Transition(
            "approve",
            "核定补贴资格",
            ("submitted",),
            "approved",
            frozenset({OFFICER}),
            decides=True,
            guard=_subsidy_eligible,
        ),
        Transition(
            "refuse", "不予核定", ("submitted",), "refused", frozenset({OFFICER}), needs_comment=True, decides=True
        ),
        Transition("withdraw", "撤回申请", ("submitted", "awaiting_materials"), "withdrawn", frozenset({APPLICANT})),
    ),
    time_limit_workdays=SUBSIDY_WORKDAYS,
    materials=(Material("contribution", "灵活就业人员社会保险缴费凭证"),),
    legal_basis="财社〔2017〕164号；人社部发〔2022〕81号",
    description="就业困难人员和离校2年内未就业高校毕业生灵活就业并缴纳社会保险费的，申请一次补贴资格，之后按期申领，先缴后补。",
    on_decided=_subsidy_decided,
)


def register_all() -> None:
    types.register(_registration("flexible.employment", "JY", "就业登记"))
    types.register(_registration("flexible.unemployment", "SY", "失业登记"))
    types.register(RIGHTS)
    types.register(SUBSIDY)
