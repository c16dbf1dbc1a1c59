"""Applications for market-entity registration (plan 1): establishment, change, simplified deregistration."""

from typing import ClassVar

from django.db import models

from chuangye.core.money import MoneyField
from chuangye.registry.models import Industry


class Application(models.Model):
    """The payload of a registration case: what the applicant asks to register, change or deregister."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "个体工商户"
        ENTERPRISE = "enterprise", "有限责任公司"
        COOPERATIVE = "cooperative", "农民专业合作社"

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="registration")
    kind = models.CharField("主体类型", max_length=12, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    address = models.CharField("住所（经营场所）", max_length=200)
    region_code = models.CharField("登记机关所在地", max_length=6)
    business_scope = models.TextField("经营范围")
    industry = models.CharField("行业门类", max_length=1, choices=Industry.choices)
    capital = MoneyField("注册资本（出资额）", null=True, blank=True)
    # [{"person_id", "role", "share_percent"}]: founders are registry people (created when new), so their ID
    # numbers live encrypted in the registry, never in this JSON.
    founders = models.JSONField("投资人（经营者）", default=list)
    # Change registration: the business, the changes, and the date of the decision that caused them.
    business = models.ForeignKey(
        "registry.Business", null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    changes = models.JSONField("变更事项", default=dict, blank=True)
    resolution_date = models.DateField("变更决议日期", null=True, blank=True)
    # Simplified deregistration: the public notice period, for enterprises (个体工商户 have none).
    notice_ends_on = models.DateField("公告期满日", null=True, blank=True)
    licence_code = models.CharField("执照核验码", max_length=16, blank=True, db_index=True)
    licence_issued_at = models.DateTimeField("发照时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "登记申请"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(capital__isnull=True) | models.Q(capital__gte=0),
                name="registration_capital_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name
