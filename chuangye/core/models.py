"""Kernel tables: regions, the working-day calendar, identifier sequences and the audit trail."""

import secrets
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone

from chuangye.core.regions import CITY, COUNTY, PROVINCE


class Region(models.Model):
    """A current GB/T 2260 division. Loaded from the shipped list; not edited by hand."""

    LEVELS: ClassVar[list[tuple[str, str]]] = [(PROVINCE, "省级"), (CITY, "地级"), (COUNTY, "县级")]

    code = models.CharField("行政区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=8, choices=LEVELS)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    full_name = models.CharField("全称", max_length=128)

    class Meta:
        ordering: ClassVar[list[str]] = ["code"]
        verbose_name = verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return f"{self.full_name}（{self.code}）"


class CalendarYear(models.Model):
    """Whether the State Council has published a year's holiday arrangement (and so whether it can be trusted)."""

    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    published = models.BooleanField("已公布放假安排", default=True)
    source = models.CharField("来源", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作日历年度"

    def __str__(self) -> str:
        return f"{self.year}"


class CalendarDay(models.Model):
    """A day that differs from the Monday-to-Friday default: a holiday on a weekday or a make-up working weekend."""

    date = models.DateField("日期", primary_key=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("说明", max_length=64, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["date"]
        verbose_name = verbose_name_plural = "节假日与调休"

    def __str__(self) -> str:
        return f"{self.date} {'调休上班' if self.is_workday else '放假'} {self.name}"


class IdentifierSequence(models.Model):
    """A named counter for issuing numbers (credit codes, case numbers); incremented under a row lock."""

    name = models.CharField(max_length=64, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class AuditChain(models.Model):
    """The head of one hash chain of audit events. Chains are per region code (county, or the city or province
    whose staff acted) so that sharding by region keeps each chain on its region's shard; ``00`` holds national
    and system events. Chains named by two digits hold the events written before decision 0004 was revised."""

    name = models.CharField(max_length=8, primary_key=True)
    seq = models.BigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"{self.name}#{self.seq}"


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only")


class AuditEvent(models.Model):
    """One important action or security event. Rows are never changed; each carries the hash of the one before."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"
        DENIED = "denied", "拒绝"

    chain = models.CharField(max_length=8)
    seq = models.BigIntegerField()
    occurred_at = models.DateTimeField("时间")
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True)
    actor_label = models.CharField("操作人", max_length=150, blank=True)
    actor_role = models.CharField("角色", max_length=32, blank=True)
    region_code = models.CharField("行政区划", max_length=6, blank=True)
    action = models.CharField("操作", max_length=64)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    outcome = models.CharField("结果", max_length=8, choices=Outcome.choices)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    details = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["chain", "seq"]
        verbose_name = verbose_name_plural = "审计日志"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq_unique"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["occurred_at"], name="audit_event_occurred_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_event_object_idx"),
            models.Index(fields=["actor_id", "occurred_at"], name="audit_event_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only")


EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def _stored_name(instance: "Attachment", filename: str) -> str:
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{secrets.token_hex(16)}{EXTENSIONS.get(instance.content_type, '')}"


class Attachment(models.Model):
    """An uploaded file (evidence, materials) belonging to one object; created by ``core.files.attachment_create``."""

    file = models.FileField(upload_to=_stored_name, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    region_code = models.CharField(max_length=6, blank=True, db_index=True)
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["object_type", "object_id"], name="attachment_object_idx")
        ]

    def __str__(self) -> str:
        return self.original_name
