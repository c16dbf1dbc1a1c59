import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from chuangye.core.regions import significant_prefix, validate_region_code
from chuangye.jobs.commands import start_and_report


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
        on = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        # A job split by county and batch: run here with the immediate backend, by the task workers otherwise.
        start_and_report(
            self.stdout,
            "policies.scan",
            {"on": on.isoformat(), "region_prefix": prefix, "notify": not options["no_notify"]},
            region_code=prefix.ljust(6, "0") if prefix else "",
            label=f"政策找人（{prefix or '全部地区'}）",
        )
