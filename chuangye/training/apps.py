from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "chuangye.training"
    label = "training"
    verbose_name = "创业培训"

    def ready(self) -> None:
        pass
