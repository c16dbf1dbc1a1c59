import importlib
import importlib.util
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from chuangye.accounts.models import Role, User
from chuangye.demo.accounts import DEMO_PASSWORD, USERS, seed_accounts
from chuangye.demo.funds import seed_fund
from chuangye.demo.policies import seed_policies
from chuangye.demo.population import Population, populate

DEMO_SEED = 81
# Apps that add their own demo records: each may have a ``demo.py`` with ``seed() -> str`` (idempotent: a second run
# adds nothing), called after the accounts and the population exist; the string is one line for the summary.
DEMO_APPS = ["training", "cultivation", "services", "incubators", "flexible", "reporting"]
# Who certifies in each demo county: that county's demo officer (the supervisor must stay free to check their work).
DECIDERS = {"510104": "officer_jj", "510107": "officer_wh"}


class Command(BaseCommand):
    help = "Load demo accounts, synthetic registrants and businesses (idempotent; refused in production mode)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=2000, help="synthetic registrants to ensure (default 2000)")

    def handle(self, *args: object, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产模式下不能加载演示数据（演示账户共用一个公开密码）。")
        with transaction.atomic():
            created = seed_accounts()
            seed_fund()
            deciders = {code: User.objects.get(username=name) for code, name in DECIDERS.items()}
            result = populate(
                Population(
                    count=options["people"],
                    seed=DEMO_SEED,
                    residence_regions=list(settings.DEMO_REGIONS),
                    key_group_share=0.45,
                    business_share=0.25,
                    deciders=deciders,
                    batch_size=1000,
                )
            )
            app_lines = [seed_policies()]
            for app in DEMO_APPS:
                if importlib.util.find_spec(f"chuangye.{app}.demo") is not None:
                    app_lines.append(importlib.import_module(f"chuangye.{app}.demo").seed())
        self.stdout.write(
            f"演示数据已就绪：新建账户 {len(created)} 个，新增人员 {result.created} 人，"
            f"重点群体身份 {result.key_groups} 条，市场主体 {result.businesses} 户。"
        )
        for line in app_lines:
            self.stdout.write(line)
        self.stdout.write(f"演示账户（密码均为 {DEMO_PASSWORD}）：")
        for spec in USERS:
            self.stdout.write(f"  {spec.username:<14} {spec.real_name:<4} {Role(spec.role).label} {spec.region_code}")
