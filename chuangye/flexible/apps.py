from django.apps import AppConfig


class FlexibleConfig(AppConfig):
    name = "chuangye.flexible"
    label = "flexible"
    verbose_name = "灵活就业"

    def ready(self) -> None:
        from chuangye.accounts.models import Role
        from chuangye.cases.access import PARTNER_FILTERS, ROLE_PROVIDERS
        from chuangye.core.files import register_owner
        from chuangye.core.nav import register_nav
        from chuangye.flexible import case_types
        from chuangye.flexible.access import claims_for, legal_aid_case_filter, legal_aid_roles
        from chuangye.flexible.facts import subsidy_facts
        from chuangye.registry.facts import register_provider

        case_types.register_all()
        # Legal-aid organisations see the rights cases referred to them and record the outcome.
        if legal_aid_case_filter not in PARTNER_FILTERS:
            PARTNER_FILTERS.append(legal_aid_case_filter)
        if legal_aid_roles not in ROLE_PROVIDERS:
            ROLE_PROVIDERS.append(legal_aid_roles)
        register_owner("si_claim", claims_for)
        register_provider(subsidy_facts)
        register_nav("portal", "零工市场", "flexible:market", order=60)
        register_nav("portal", "我的灵活就业", "flexible:me", roles={Role.CITIZEN}, order=61)
        register_nav("workbench", "零工市场", "flexible:workbench", roles={Role.OFFICER, Role.SUPERVISOR}, order=60)
        register_nav("workbench", "零工岗位", "flexible:employer", roles={Role.PARTNER}, partner_kinds={"employer"})
        register_nav("workbench", "维权转介", "flexible:legal_aid", roles={Role.PARTNER}, partner_kinds={"legal_aid"})
