"""Long jobs split into parts that task workers run in parallel (decision 0019).

A ``Job`` is one run of a registered kind (a proactive scan, a bank's subsidy claims for a quarter, ...) with its
JSON parameters; its ``JobPart`` rows are the region- or batch-sized pieces, each carried to a worker by one task.
Everything a worker needs is in these rows, so any worker on any machine can take any part, and a part whose worker
died is taken again once its lease runs out.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models


class State(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    kind = models.CharField("任务类型", max_length=40)
    label = models.CharField("任务", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    # The same scheduled run (a kind and its period) is started once however many workers try: unique when set.
    unique_key = models.CharField("唯一标识", max_length=120, null=True, blank=True, unique=True)
    # Who may follow the job: staff whose region is this one or above it (the prefix rule of every scoped list).
    region_code = models.CharField("行政区划", max_length=6, db_index=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    parts_total = models.PositiveIntegerField("分片数", default=0)
    result = models.JSONField("结果", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = verbose_name
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.label}（{self.get_state_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.state in (State.DONE, State.FAILED)


class JobPart(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField("序号")
    label = models.CharField("分片", max_length=100)
    params = models.JSONField("参数", default=dict, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    # The run that holds the part: a fresh token per claim; only the holder may mark the part finished.
    claim = models.CharField(max_length=32, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField("执行进程", max_length=120, blank=True, default="")
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True, default="")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "任务分片"
        verbose_name_plural = verbose_name
        ordering: ClassVar[list[str]] = ["job_id", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["job", "number"], name="jobs_part_unique_number")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["state", "lease_until"]),
            models.Index(fields=["state", "enqueued_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.job_id}-{self.number} {self.label}"
