from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "chuangye.registry"
    label = "registry"
    verbose_name = "人员与市场主体"
