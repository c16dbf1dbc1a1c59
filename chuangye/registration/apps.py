from importlib import import_module

from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "chuangye.registration"
    label = "registration"
    verbose_name = "市场主体登记"

    def ready(self) -> None:
        import_module("chuangye.registration.case_types")  # registers the case types
