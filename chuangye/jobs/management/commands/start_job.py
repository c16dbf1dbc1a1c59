"""Start a background job by hand (split into parts for the task workers), and optionally wait for it."""

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangye.jobs.actions import job_parts_summary, job_start
from chuangye.jobs.kinds import all_kinds, get_kind
from chuangye.jobs.models import Job


class Command(BaseCommand):
    help = "开始一个后台任务：start_job KIND [--param name=value ...] [--wait SECONDS]"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="job kind, e.g. policies.scan; 'list' prints them")
        parser.add_argument("--param", action="append", default=[], help="name=value (JSON values allowed)")
        parser.add_argument("--key", default="", help="unique key: a second start with the same key does nothing")
        parser.add_argument("--wait", type=int, default=0, help="wait up to this many seconds for the job to end")

    def handle(self, *args: object, **options: Any) -> None:
        if options["kind"] == "list":
            for kind in all_kinds():
                self.stdout.write(f"{kind.code}\t{kind.title}")
            return
        try:
            kind = get_kind(options["kind"])
        except LookupError:
            raise CommandError(f"没有这种任务：{options['kind']}（start_job list 列出全部）") from None
        params: dict[str, Any] = {}
        for item in options["param"]:
            name, sep, raw = item.partition("=")
            if not sep or not name:
                raise CommandError(f"参数应为 name=value：{item}")
            try:
                params[name] = json.loads(raw)
            except json.JSONDecodeError:
                params[name] = raw
        job = job_start(kind.code, params, unique_key=options["key"] or None)
        self.stdout.write(f"任务 {job.pk}：{job.label}，{job.parts_total} 个分片")
        deadline = time.monotonic() + options["wait"]
        while not job.is_finished and time.monotonic() < deadline:
            time.sleep(1)
            job = Job.objects.get(pk=job.pk)
        counts = job_parts_summary(job)
        self.stdout.write(
            f"状态：{job.get_state_display()}；完成 {counts['done']}，失败 {counts['failed']}，"
            f"处理中 {counts['running']}，排队 {counts['queued']}"
        )
        if job.is_finished:
            self.stdout.write(kind.summary(job.result) if kind.summary else json.dumps(job.result, ensure_ascii=False))
            if job.state == "failed":
                raise CommandError("任务有分片失败，详见任务页面和日志")
        elif options["wait"]:
            raise CommandError(f"任务 {job.pk} 在 {options['wait']} 秒内未完成")
