from django.apps import AppConfig


class CultivationConfig(AppConfig):
    name = "chuangye.cultivation"
    label = "cultivation"
    verbose_name = "创业培育"

    def ready(self) -> None:
        pass
