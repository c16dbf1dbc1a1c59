from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "chuangye.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from chuangye.accounts.models import Role
        from chuangye.core.nav import register_nav

        register_nav("workbench", "后台任务", "jobs:list", roles={Role.OFFICER, Role.SUPERVISOR}, order=95)
