import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chuangye.core.regions import significant_prefix, validate_region_code
from chuangye.policies.scan import scan


class Command(BaseCommand):
    help = (
        "政策找人: decide every personal policy for every registrant in a region; store changes; notify (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="", help="a region code; its cities and counties are included")
        parser.add_argument("--on", default="", help="decision date YYYY-MM-DD (default: today)")
        parser.add_argument("--no-notify", action="store_true", help="store results without messages")

    def handle(self, *args: object, **options: Any) -> None:
        prefix = (
            significant_prefix(validate_region_code(options["region"], field="region")) if options["region"] else ""
        )
        on = dt.date.fromisoformat(options["on"]) if options["on"] else None
        result = scan(region_prefix=prefix, on=on, notify_people=not options["no_notify"])
        self.stdout.write(
            f"扫描 {result.people} 人，结果变化 {result.changed} 项，新符合条件 {result.newly_eligible} 项"
        )
