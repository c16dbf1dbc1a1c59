from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "chuangye.registry"
    label = "registry"
    verbose_name = "人员与市场主体"

    def ready(self) -> None:
        from chuangye.registry import jobs

        jobs.register_kind()
        from chuangye.core.files import register_owner
        from chuangye.registry.access import statuses_for

        register_owner("key_group_status", statuses_for)
