"""The national catalogue: one module per policy, each defining ``POLICY``."""

from chuangye.core.errors import DomainError, FieldError
from chuangye.policies.catalogue import (
    loan_counter_guarantee_waiver,
    loan_enterprise,
    loan_individual,
    loan_interest_subsidy,
    loan_partnership,
    subsidy_social_insurance,
    subsidy_startup_once,
    subsidy_training,
)
from chuangye.policies.policy import Policy

CATALOGUE: dict[str, Policy] = {
    module.POLICY.code: module.POLICY
    for module in (
        loan_individual,
        loan_partnership,
        loan_enterprise,
        loan_counter_guarantee_waiver,
        loan_interest_subsidy,
        subsidy_startup_once,
        subsidy_social_insurance,
        subsidy_training,
    )
}


def get_policy(code: str, *, field: str = "policy") -> Policy:
    """The policy with ``code``; an unknown code is refused as not found, naming the field."""
    try:
        return CATALOGUE[code]
    except KeyError:
        message = f"「政策代码」{code} 不存在，可用的政策：" + "、".join(CATALOGUE)
        raise DomainError(message=message, code="not_found", status=404, errors=[FieldError(field, message)]) from None
