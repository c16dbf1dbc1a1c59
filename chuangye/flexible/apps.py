from django.apps import AppConfig


class FlexibleConfig(AppConfig):
    name = "chuangye.flexible"
    label = "flexible"
    verbose_name = "灵活就业"

    def ready(self) -> None:
        pass
