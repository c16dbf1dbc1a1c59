"""Users, their roles and the region or organisation that bounds what they see."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    CITIZEN = "citizen", "创业者"
    OFFICER = "officer", "经办人员"
    SUPERVISOR = "supervisor", "主管"
    PARTNER = "partner", "合作机构人员"
    MENTOR = "mentor", "创业导师"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计员"


STAFF_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})


class Organisation(models.Model):
    """A partner body: a bank, guarantee fund, training institution, incubator, employer or legal-aid body."""

    class Kind(models.TextChoices):
        BANK = "bank", "经办银行"
        GUARANTOR = "guarantor", "担保机构"
        TRAINING = "training", "培训机构"
        INCUBATOR = "incubator", "孵化基地"
        EMPLOYER = "employer", "用人单位"
        LEGAL_AID = "legal_aid", "法律援助机构"
        BUREAU = "bureau", "人社部门"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    region_code = models.CharField("所在行政区划", max_length=6, db_index=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "机构"
        ordering: ClassVar[list[str]] = ["region_code", "name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An account. A citizen's scope is themselves; staff see their region (prefix of ``region_code``); partner
    staff see their organisation's work."""

    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.CITIZEN)
    real_name = models.CharField("姓名", max_length=50, blank=True)
    region_code = models.CharField("管辖行政区划", max_length=6, blank=True, db_index=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所属机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=~models.Q(role="partner") | models.Q(organisation__isnull=False),
                name="user_partner_has_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=["officer", "supervisor"]) | ~models.Q(region_code=""),
                name="user_staff_has_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.real_name or self.username}（{self.get_role_display()}）"
