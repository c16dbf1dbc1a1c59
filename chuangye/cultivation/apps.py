from django.apps import AppConfig


class CultivationConfig(AppConfig):
    name = "chuangye.cultivation"
    label = "cultivation"
    verbose_name = "创业培育"

    def ready(self) -> None:
        from chuangye.accounts.models import Role
        from chuangye.core.nav import register_nav
        from chuangye.cultivation.facts import honour_facts
        from chuangye.registry.facts import register_provider

        # Awards at city level or above are honours, read by the counter-guarantee waiver (honour_city_level).
        register_provider(honour_facts)
        register_nav("portal", "创业培育", "cultivation:home", roles=[Role.CITIZEN], order=60)
        register_nav(
            "workbench",
            "创业培育",
            "cultivation:home",
            roles=[Role.OFFICER, Role.SUPERVISOR, Role.MENTOR, Role.PARTNER],
            order=60,
        )
