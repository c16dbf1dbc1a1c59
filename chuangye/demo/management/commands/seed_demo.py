from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from chuangye.accounts.models import Role
from chuangye.demo.accounts import DEMO_PASSWORD, USERS, seed_accounts
from chuangye.demo.people import synthetic_people
from chuangye.registry.models import Person


class Command(BaseCommand):
    help = "Load demo accounts and synthetic registrants (idempotent; refused in production mode)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=300, help="synthetic registrants to ensure (default 300)")

    def handle(self, *args: object, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产模式下不能加载演示数据（演示账户共用一个公开密码）。")
        with transaction.atomic():
            created = seed_accounts()
            people = list(synthetic_people(options["people"], residence_regions=settings.DEMO_REGIONS))
            before = Person.objects.count()
            Person.objects.bulk_create(people, batch_size=500, ignore_conflicts=True)
            added = Person.objects.count() - before
        self.stdout.write(f"演示数据已就绪：新建账户 {len(created)} 个，新增人员 {added} 人。")
        self.stdout.write(f"演示账户（密码均为 {DEMO_PASSWORD}）：")
        for spec in USERS:
            self.stdout.write(f"  {spec.username:<14} {spec.real_name:<4} {Role(spec.role).label} {spec.region_code}")
