from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "chuangye.reporting"
    label = "reporting"
    verbose_name = "统计报表"

    def ready(self) -> None:
        from chuangye.reporting import jobs

        jobs.register_kind()
        from chuangye.accounts.models import Role
        from chuangye.core.nav import register_nav

        register_nav("portal", "数据公开", "reporting:public", order=90)
        register_nav("workbench", "统计报表", "reporting:dashboard", roles={Role.OFFICER, Role.SUPERVISOR}, order=90)
