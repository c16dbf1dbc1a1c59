from django.apps import AppConfig


class IncubatorsConfig(AppConfig):
    name = "chuangye.incubators"
    label = "incubators"
    verbose_name = "孵化载体"

    def ready(self) -> None:
        from chuangye.accounts.models import Role
        from chuangye.cases.access import PARTNER_FILTERS, ROLE_PROVIDERS
        from chuangye.core.nav import register_nav
        from chuangye.incubators import case_types  # noqa: F401 - registers the space application case type
        from chuangye.incubators.access import operator_roles, partner_case_filter

        # An incubator operator's staff see applications to their own carriers and act on them (the engine's hooks).
        if partner_case_filter not in PARTNER_FILTERS:
            PARTNER_FILTERS.append(partner_case_filter)
        if operator_roles not in ROLE_PROVIDERS:
            ROLE_PROVIDERS.append(operator_roles)
        register_nav("portal", "孵化载体", "incubators:directory", order=60)
        register_nav("portal", "资源共享", "incubators:board", order=61)
        register_nav("portal", "我的入驻", "incubators:mine", roles={Role.CITIZEN}, order=62)
        register_nav(
            "workbench",
            "孵化载体",
            "incubators:manage",
            roles={Role.OFFICER, Role.SUPERVISOR, Role.PARTNER},
            partner_kinds={"incubator"},
            order=60,
        )
