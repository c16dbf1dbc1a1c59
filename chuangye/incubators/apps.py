from django.apps import AppConfig


class IncubatorsConfig(AppConfig):
    name = "chuangye.incubators"
    label = "incubators"
    verbose_name = "孵化载体"

    def ready(self) -> None:
        pass
