from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "chuangye.policies"
    label = "policies"
    verbose_name = "政策规则"
