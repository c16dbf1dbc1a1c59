import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangye.accounts.models import Role, User
from chuangye.core.models import Region
from chuangye.demo.population import Population, PopulationResult, populate


class Command(BaseCommand):
    help = (
        "Create N synthetic registrants (valid ID numbers, key-group statuses, some businesses) in bulk, for "
        "benchmarks. Idempotent per seed: a second run adds only people not yet there. Refused in production mode."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True, help="how many synthetic registrants to ensure")
        parser.add_argument("--seed", type=int, default=2026, help="which synthetic population (default 2026)")
        parser.add_argument(
            "--region", nargs="+", default=None, help="county codes people live in (default: the demo counties)"
        )
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: object, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产模式下不能生成虚构人员。")
        if options["people"] < 0:
            raise CommandError("--people 不能为负数。")
        regions = options["region"] or list(settings.DEMO_REGIONS)
        unknown = sorted(set(regions) - set(Region.objects.filter(code__in=regions).values_list("code", flat=True)))
        if unknown:
            raise CommandError(f"不是现行的行政区划代码：{'、'.join(unknown)}")
        deciders = {
            code: User.objects.filter(role=Role.OFFICER, region_code=code, is_active=True).order_by("pk").first()
            for code in regions
        }
        spec = Population(
            count=options["people"],
            seed=options["seed"],
            residence_regions=regions,
            deciders=deciders,
            batch_size=options["batch_size"],
        )
        started = time.perf_counter()
        step = max(options["people"] // 10, spec.batch_size)

        def report(result: PopulationResult) -> None:
            done = result.created + result.existing
            if done % step < spec.batch_size or done == spec.count:
                self.stdout.write(f"  {done}/{spec.count}（{time.perf_counter() - started:.0f} 秒）")

        result = populate(spec, progress=report)
        self.stdout.write(
            f"完成：新增人员 {result.created} 人（已存在 {result.existing} 人），重点群体身份 {result.key_groups} 条，"
            f"市场主体 {result.businesses} 户，用时 {time.perf_counter() - started:.1f} 秒。"
        )
