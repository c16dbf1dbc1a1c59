"""Regional parameter overrides and stored decision records.

Both are append-only in practice: an override is corrected by entering a newer one (the latest entry for the
same name, region and date wins), so any past decision can be replayed "as known" at its time.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from chuangye.core.money import MoneyField


class ParameterOverride(models.Model):
    """A region's value for a national parameter from ``effective_from``, set by a document."""

    name = models.CharField("参数", max_length=100)
    region_code = models.CharField("行政区划代码", max_length=6)
    value = models.CharField("取值", max_length=200)
    effective_from = models.DateField("施行日期")
    document_number = models.CharField("文号", max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "政策参数地方调整"
        ordering: ClassVar[list[str]] = ["name", "region_code", "effective_from", "created_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["region_code", "name"], name="policies_override_region_name"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(region_code__regex=r"^[0-9]{6}$") & ~models.Q(region_code="000000"),
                name="policies_override_region_code_six_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}@{self.region_code} {self.effective_from}: {self.value}"


class Decision(models.Model):
    """One decision as made: the facts, date, region, parameters with sources, the trace and engine version."""

    policy_code = models.CharField("政策代码", max_length=64, db_index=True)
    on = models.DateField("决定日期")
    region_code = models.CharField("行政区划代码", max_length=6, blank=True, db_index=True)
    facts = models.JSONField("事实数据")
    eligible = models.BooleanField("是否符合条件")
    amount = MoneyField("金额", null=True, blank=True)
    criteria = models.JSONField("逐项判断")
    parameters = models.JSONField("所用参数")
    note = models.CharField("说明", max_length=200, blank=True)
    engine_version = models.CharField("规则引擎版本", max_length=64)
    created_at = models.DateTimeField("记录时间", default=timezone.now)
    subject_type = models.CharField("关联对象类型", max_length=64, blank=True)
    subject_id = models.CharField("关联对象ID", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "政策判断记录"
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["subject_type", "subject_id"], name="policies_decision_subject"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="policies_decision_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(eligible=True) | models.Q(amount__isnull=True),
                name="policies_decision_amount_only_when_eligible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy_code} {self.on} {'符合' if self.eligible else '不符合'}"


class PolicyMatch(models.Model):
    """The latest proactive-scan result of one policy for one person (政策找人). A row is created the first time the
    person is found eligible and changes only when the result does, so a scan that finds nothing new writes nothing;
    a person with no row for a policy has never been found eligible for it."""

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="policy_matches")
    policy_code = models.CharField(max_length=40)
    region_code = models.CharField(max_length=6, db_index=True)
    eligible = models.BooleanField()
    amount = MoneyField(null=True, blank=True)
    decided_on = models.DateField()
    changed_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["person", "policy_code"], name="policy_match_unique"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["policy_code", "eligible", "region_code"], name="policy_match_lookup_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.policy_code} {self.eligible}"


class ProactiveGrant(models.Model):
    """免申即享: the payload of a case the proactive scan opened for a person who qualifies, waiting for an officer
    to confirm. One per person and policy: the one-off benefits that may be granted this way are paid once, and a
    declined grant is not reopened by the next scan (the person may still apply in the ordinary way)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="proactive_grant")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="proactive_grants")
    policy_code = models.CharField("政策代码", max_length=64)
    amount = MoneyField("金额", null=True, blank=True)
    found_on = models.DateField("扫描日期")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    confirmed_decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "免申即享办件"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["person", "policy_code"], name="proactive_grant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_code} {self.person_id}"
