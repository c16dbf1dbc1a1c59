from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "chuangye.policies"
    label = "policies"
    verbose_name = "政策规则"

    def ready(self) -> None:
        from chuangye.policies import (
            case_types,  # noqa: F401 - registers the 免申即享 case type
            jobs,
        )

        jobs.register_kind()
