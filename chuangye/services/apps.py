from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "chuangye.services"
    label = "services"
    verbose_name = "创业服务"

    def ready(self) -> None:
        pass
