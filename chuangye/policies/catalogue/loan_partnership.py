"""合伙创业担保贷款: every partner individually eligible; ceiling up to 110% of their ceilings, within the
enterprise ceiling. Facts carry the partners as ``partners``: a list of fact objects, one per partner."""

from chuangye.policies.catalogue.common import INDIVIDUAL_CRITERIA as PARTNER_CRITERIA
from chuangye.policies.catalogue.common import (
    INDIVIDUALLY_ELIGIBLE,
    LOAN_BASIS,
    PLAN_5,
    capped_request,
)
from chuangye.policies.expr import AllPartners, PartnerCount, Smallest, param
from chuangye.policies.policy import Criterion, Policy
from chuangye.policies.pyeval import Env, compile_py


def failing_partners(env: Env) -> str:
    """Which partners fail which criteria, e.g. "第2位合伙人：未达到法定退休年龄"."""
    lines = []
    for i, partner in enumerate(env.values["partners"] or (), start=1):
        sub = Env(partner.values, env.snapshot, env.used)
        failed = [c.label for c in PARTNER_CRITERIA if compile_py(c.test)(sub) is not True]
        if failed:
            lines.append(f"第{i}位合伙人：{'、'.join(failed)}")
    return "；".join(lines)


PARTNER_COUNT = Criterion(
    code="partner_count",
    label="合伙人数符合合伙企业设立条件",
    test=PartnerCount() >= param("loan.partnership.min_partners"),
    passed="共有 {count} 位合伙人",
    failed="合伙人为 {count} 人，少于 {min} 人",
    show={"count": PartnerCount(), "min": param("loan.partnership.min_partners")},
)

PARTNERS_ELIGIBLE = Criterion(
    code="partners_eligible",
    label="每位合伙人均符合个人创业担保贷款条件",
    test=AllPartners(INDIVIDUALLY_ELIGIBLE),
    passed="{count} 位合伙人均符合个人创业担保贷款条件",
    failed="{failures}",
    show={"count": PartnerCount(), "failures": failing_partners},
)

CEILING = Smallest(
    PartnerCount() * param("loan.individual.ceiling") * param("loan.partnership.uplift"),
    param("loan.enterprise.ceiling"),
)

POLICY = Policy(
    code="loan.partnership",
    title="合伙创业担保贷款",
    plan=PLAN_5[0],
    plan_title=PLAN_5[1],
    legal_basis=LOAN_BASIS,
    criteria=(PARTNER_COUNT, PARTNERS_ELIGIBLE),
    amount=capped_request(CEILING),
    amount_label="可贷额度",
    notes=(
        "事实数据另含 partners：合伙人事实数据的列表，每位合伙人按个人贷款的事实逐项核验；"
        "额度上限为合伙人个人额度之和的110%，且不超过小微企业额度上限。"
    ),
)
