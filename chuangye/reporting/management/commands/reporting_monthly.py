from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from chuangye.core.errors import DomainError
from chuangye.jobs.commands import start_and_report
from chuangye.reporting.periods import MONTH, last_complete_month, parse_period


class Command(BaseCommand):
    help = "统计月报: store every KPI of every bureau region for a month (idempotent; run monthly, e.g. by cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", default="", help="YYYY-MM (default: the last complete month)")

    def handle(self, *args: object, **options: Any) -> None:
        year = month = 0
        if options["month"]:
            try:
                period = parse_period(options["month"], field="month")
            except DomainError as error:
                raise CommandError(error.message) from None
            if period.kind != MONTH:
                raise CommandError("「月份」应为 YYYY-MM")
            year, month = period.year, period.number
        if not year:
            last = last_complete_month(timezone.localdate())
            year, month = last.year, last.number
        start_and_report(
            self.stdout, "reporting.monthly", {"year": year, "month": month}, label=f"统计月报 {year}年{month}月"
        )
