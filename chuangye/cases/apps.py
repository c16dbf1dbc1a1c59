from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "chuangye.cases"
    label = "cases"
    verbose_name = "业务办理"

    def ready(self) -> None:
        from chuangye.cases import jobs

        jobs.register_kind()
        from chuangye.cases.access import cases_for
        from chuangye.core.files import register_owner

        register_owner("case", cases_for)
