from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "chuangye.loans"
    label = "loans"
    verbose_name = "创业担保贷款"

    def ready(self) -> None:
        from chuangye.loans import jobs

        jobs.register_kinds()
        from chuangye.accounts.models import API_SCOPES
        from chuangye.cases.access import PARTNER_FILTERS, ROLE_PROVIDERS
        from chuangye.core.files import register_owner
        from chuangye.loans import case_types  # noqa: F401 - registers the loan case types
        from chuangye.loans.access import loans_for, partner_case_filter
        from chuangye.loans.tiers import partner_roles

        # Banks and guarantee institutions see their loan cases and hold roles on them (the engine's two hooks).
        if partner_case_filter not in PARTNER_FILTERS:
            PARTNER_FILTERS.append(partner_case_filter)
        if partner_roles not in ROLE_PROVIDERS:
            ROLE_PROVIDERS.append(partner_roles)
        register_owner("loan", loans_for)
        # Partner systems report money movements with tokens limited to these scopes (accounts.API_SCOPES is the
        # registry of scopes that apps extend as they add partner APIs).
        API_SCOPES.setdefault("loans:read", "读取本机构经办的创业担保贷款、还款计划与申报")
        API_SCOPES.setdefault("loans:write", "报送创业担保贷款的审批、放款、还款、代偿、追偿与贴息申报")
