from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import TaskResultStatus

from chuangye.core.errors import DomainError
from chuangye.reporting.periods import MONTH, parse_period
from chuangye.reporting.tasks import monthly_snapshot_task


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
        result = monthly_snapshot_task.enqueue(year=year, month=month)
        if result.status == TaskResultStatus.FAILED:
            failure = result.errors[-1]
            raise CommandError(f"月报生成失败（{failure.exception_class_path}）：{failure.traceback.splitlines()[-1]}")
        if not result.is_finished:
            self.stdout.write(f"已提交后台任务 {result.id}，由任务进程执行")
            return
        value = result.return_value or {}
        self.stdout.write(f"{value['year']}年{value['month']}月统计快照已生成：{value['regions']} 个行政区划")
