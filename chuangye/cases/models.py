"""Cases (applications of every kind), their immutable history and 一次性告知 notices."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class Case(models.Model):
    number = models.CharField("办件编号", max_length=40, unique=True)
    case_type = models.CharField("事项", max_length=60, db_index=True)
    state = models.CharField("状态", max_length=30)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="cases"
    )
    applicant_person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    applicant_business = models.ForeignKey(
        "registry.Business", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    # 异地可办: the office that took the application may differ from the one that decides it.
    accepting_region = models.CharField("受理地", max_length=6, db_index=True)
    region_code = models.CharField("办理地", max_length=6, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_cases"
    )
    service_mode = models.CharField("办理模式", max_length=20)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    due_at = models.DateTimeField("办结时限", null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField("时限待定", default=False)
    # While the applicant supplements materials the clock stops; these working days remain when it restarts.
    paused_remaining_workdays = models.IntegerField(null=True, blank=True)
    resume_state = models.CharField(max_length=30, blank=True)  # where a paused case returns on resubmission
    extended = models.BooleanField("已延长", default=False)
    deadline_flag = models.CharField(max_length=10, blank=True, db_index=True)  # "", "due_soon", "overdue"
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    notice_round = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)
    idempotency_key = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办件"
        ordering: ClassVar[list[str]] = ["-submitted_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["applicant_user", "case_type", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="case_idempotent_submission",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["region_code", "state", "due_at"], name="case_queue_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class CaseEvent(models.Model):
    """One step in a case's history. Never changed or deleted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30)
    comment = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("case events are immutable")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Notice(models.Model):
    """一次性告知: everything missing, told once per round. The clock stops until the applicant answers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    round = models.PositiveSmallIntegerField()
    items = models.JSONField("需补正材料")  # [{"item": "...", "detail": "..."}]
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField("补正说明", blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["round"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["case", "round"], name="notice_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.case} 第{self.round}次告知"
