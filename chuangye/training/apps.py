from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "chuangye.training"
    label = "training"
    verbose_name = "创业培训"

    def ready(self) -> None:
        from chuangye.accounts.models import Organisation, Role
        from chuangye.cases.access import PARTNER_FILTERS
        from chuangye.core.nav import register_nav
        from chuangye.registry.facts import register_provider
        from chuangye.training import case_types  # noqa: F401 - registers the class-opening case type
        from chuangye.training.access import partner_case_filter
        from chuangye.training.facts import subsidised_courses

        # Training institutions see their class applications through the case engine.
        if partner_case_filter not in PARTNER_FILTERS:
            PARTNER_FILTERS.append(partner_case_filter)
        register_provider(subsidised_courses)
        register_nav("portal", "创业培训", "training:home", order=40)
        register_nav(
            "workbench",
            "培训业务",
            "training:org_home",
            roles=[Role.PARTNER],
            partner_kinds=[Organisation.Kind.TRAINING],
        )
        register_nav("workbench", "创业培训", "training:wb_home", roles=[Role.OFFICER, Role.SUPERVISOR], order=40)
