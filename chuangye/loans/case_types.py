"""The loan case types on the case engine: applications (individual, partnership, small/micro enterprise) and
展期 (extension).

An application passes three tiers, each with its own time limit: the bureau's qualification review, the guarantee
institution, then the bank's credit decision. Each tier may refuse with a reason; the two partner tiers may send
it back to the applicant for revision, and it returns to the tier that sent it back. An extension passes the bank,
the guarantee institution and the bureau. Time limits are local practice (DOMAIN §4: Chongqing does the whole
process in 4 working days); a bureau that wants others changes them here.
"""

from typing import Any

from chuangye.cases import types
from chuangye.cases.types import APPLICANT, OFFICER, CaseType, Material, ServiceMode, Transition

# Roles the loans app grants on its cases (see ``tiers.loan_roles_on_case``): the assigned bank's staff and the
# staff of the guarantee institution whose fund guarantees the loan.
BANK = "loan_bank"
GUARANTOR = "loan_guarantor"

BUREAU_WORKDAYS = 3
GUARANTOR_WORKDAYS = 3
BANK_WORKDAYS = 5
TIER_WORKDAYS = {
    "guarantor_review": GUARANTOR_WORKDAYS,
    "bank_review": BANK_WORKDAYS,
    "bureau_review": BUREAU_WORKDAYS,  # the extension's last tier
}
REVISION_STATES = frozenset({"guarantor_revision", "bank_revision"})
LEGAL_BASIS = "财金〔2020〕21号、财金〔2023〕75号、人社部发〔2022〕81号"

STATES = {
    "submitted": "待人社部门资格审核",
    "awaiting_materials": "待补正材料",
    "guarantor_review": "担保机构审核中",
    "guarantor_revision": "担保机构退回修改",
    "bank_review": "经办银行审贷中",
    "bank_revision": "经办银行退回修改",
    "approved": "审批通过，待签约放款",
    "refused": "不予贷款",
    "withdrawn": "已撤回",
}
FINAL = frozenset({"approved", "refused", "withdrawn"})
OPEN_STATES = frozenset(STATES) - FINAL


def _on_transition(case: Any, action: str, actor: Any) -> None:
    from chuangye.loans.tiers import on_transition

    on_transition(case, action, actor)


def _t(action: str, label: str, source: str, target: str, role: str, **kw: Any) -> Transition:
    return Transition(action, label, (source,), target, frozenset({role}), **kw)


APPLICATION_TRANSITIONS = (
    _t("qualify", "资格审核通过，转担保机构", "submitted", "guarantor_review", OFFICER, decides=True),
    _t("refuse", "资格审核不通过", "submitted", "refused", OFFICER, needs_comment=True, decides=True),
    _t("guarantor_approve", "同意担保，转经办银行", "guarantor_review", "bank_review", GUARANTOR, decides=True),
    _t("guarantor_return", "退回申请人修改", "guarantor_review", "guarantor_revision", GUARANTOR, needs_comment=True),
    _t("guarantor_refuse", "不予担保", "guarantor_review", "refused", GUARANTOR, needs_comment=True, decides=True),
    _t("bank_approve", "审贷通过", "bank_review", "approved", BANK, decides=True),
    _t("bank_return", "退回申请人修改", "bank_review", "bank_revision", BANK, needs_comment=True),
    _t("bank_refuse", "不予贷款", "bank_review", "refused", BANK, needs_comment=True, decides=True),
    _t("resubmit_guarantor", "修改后重新提交", "guarantor_revision", "guarantor_review", APPLICANT, needs_comment=True),
    _t("resubmit_bank", "修改后重新提交", "bank_revision", "bank_review", APPLICANT, needs_comment=True),
    Transition(
        "withdraw", "撤回申请", tuple(sorted(OPEN_STATES)), "withdrawn", frozenset({APPLICANT}), needs_comment=False
    ),
)

MATERIALS = (
    Material("identity", "身份证明（系统已核验的可免于提交）", required=False),
    Material("business_plan", "创业项目计划书"),
    Material("licence", "营业执照或经营场所证明", required=False),
)


def _application_type(code: str, prefix: str, title: str, kind: str) -> CaseType:
    return CaseType(
        code=code,
        prefix=prefix,
        title=title,
        applicant_kind=kind,
        service_mode=ServiceMode.TIME_LIMITED,
        states=STATES,
        initial_state="submitted",
        final_states=FINAL,
        transitions=APPLICATION_TRANSITIONS,
        time_limit_workdays=BUREAU_WORKDAYS,
        extension_workdays=2,
        materials=MATERIALS,
        legal_basis=LEGAL_BASIS,
        description=(
            f"{title}：全程网上办理。人社部门{BUREAU_WORKDAYS}个工作日内完成资格审核，担保机构{GUARANTOR_WORKDAYS}个"
            f"工作日内完成担保审核，经办银行{BANK_WORKDAYS}个工作日内作出审贷决定。"
        ),
        on_transition=_on_transition,
    )


EXTENSION_STATES = {
    "submitted": "经办银行审核中",
    "awaiting_materials": "待补正材料",
    "guarantor_review": "担保机构审核中",
    "bureau_review": "人社部门审核中",
    "approved": "展期已批准",
    "refused": "不予展期",
    "withdrawn": "已撤回",
}

EXTENSION_TRANSITIONS = (
    _t("bank_approve", "经办银行同意展期", "submitted", "guarantor_review", BANK, decides=True),
    _t("bank_refuse", "经办银行不同意展期", "submitted", "refused", BANK, needs_comment=True, decides=True),
    _t("guarantor_approve", "担保机构同意展期", "guarantor_review", "bureau_review", GUARANTOR, decides=True),
    _t(
        "guarantor_refuse",
        "担保机构不同意展期",
        "guarantor_review",
        "refused",
        GUARANTOR,
        needs_comment=True,
        decides=True,
    ),
    _t("approve", "批准展期", "bureau_review", "approved", OFFICER, decides=True),
    _t("refuse", "不予展期", "bureau_review", "refused", OFFICER, needs_comment=True, decides=True),
    Transition("withdraw", "撤回申请", ("submitted", "awaiting_materials"), "withdrawn", frozenset({APPLICANT})),
)


def _extension_decided(case: Any, actor: Any) -> None:
    from chuangye.loans.extensions import on_extension_decided

    on_extension_decided(case, actor)


APPLICATION_TYPES = {
    "loan.individual": _application_type("loan.individual", "DK", "个人创业担保贷款", "person"),
    "loan.partnership": _application_type("loan.partnership", "DKH", "合伙创业担保贷款", "business"),
    "loan.enterprise": _application_type("loan.enterprise", "DKQ", "小微企业创业担保贷款", "business"),
}
for _case_type in APPLICATION_TYPES.values():
    types.register(_case_type)

EXTENSION = types.register(
    CaseType(
        code="loan.extension",
        prefix="ZQ",
        title="创业担保贷款展期",
        applicant_kind="person",
        service_mode=ServiceMode.TIME_LIMITED,
        states=EXTENSION_STATES,
        initial_state="submitted",
        final_states=FINAL,
        transitions=EXTENSION_TRANSITIONS,
        time_limit_workdays=BANK_WORKDAYS,
        legal_basis="人社部发〔2022〕81号：因临时性经营困难不能按期还款的，可展期一次，期限不超过1年",
        description="展期须经办银行、担保机构和人社部门同意；展期只能办理一次，期限不超过1年；展期期间不予贴息。",
        on_transition=_on_transition,
        on_decided=_extension_decided,
    )
)
