from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "chuangye.finance"
    label = "finance"
    verbose_name = "金融产品与利率"

    def ready(self) -> None:
        from chuangye.finance.lpr import database_lpr_entries
        from chuangye.policies.rates import register_lpr_source

        # Every LPR look-up (loan contracts, the policy engine's snapshots) sees rates entered here.
        register_lpr_source(database_lpr_entries)
