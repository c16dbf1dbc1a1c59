import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import TaskResultStatus

from chuangye.core.regions import significant_prefix, validate_region_code
from chuangye.policies.tasks import scan_policies_task


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
        on = dt.date.fromisoformat(options["on"]).isoformat() if options["on"] else ""
        # Through the task backend: run here with the immediate backend, queued for a worker otherwise.
        task_result = scan_policies_task.enqueue(region_prefix=prefix, on=on, notify_people=not options["no_notify"])
        if task_result.status == TaskResultStatus.FAILED:
            error = task_result.errors[-1]
            raise CommandError(
                f"扫描失败（{error.exception_class_path}），详见日志：{error.traceback.splitlines()[-1]}"
            )
        if not task_result.is_finished:
            self.stdout.write(f"已提交后台任务 {task_result.id}，由任务进程执行")
            return
        result = task_result.return_value or {}
        self.stdout.write(
            f"扫描 {result['people']} 人，结果变化 {result['changed']} 项，新符合条件 {result['newly_eligible']} 项，"
            f"生成免申即享待确认办件 {result['grants']} 件"
        )
