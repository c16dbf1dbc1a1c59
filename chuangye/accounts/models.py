"""Users, their roles and the region or organisation that bounds what they see."""

import hashlib
import secrets
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from chuangye.core.pii import EncryptedTextField, blind_index, mask_phone


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
# Everyone but citizens works for an institution: a second factor, the strict password policy and rotation apply.
INSTITUTIONAL_ROLES = STAFF_ROLES | ADMIN_ROLES | {Role.PARTNER, Role.MENTOR}


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
    phone = EncryptedTextField("手机号", purpose="user.phone", blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Bumped to end every session of the user at once (logout everywhere, deactivation, role change).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["phone_index"], condition=~models.Q(phone_index=""), name="user_phone_unique"
            ),
            # Only the system administrator may hold Django's all-powerful flag (separation of duties).
            models.CheckConstraint(
                condition=models.Q(is_superuser=False) | models.Q(role="sysadmin"),
                name="user_superuser_is_sysadmin",
            ),
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

    @property
    def is_institutional(self) -> bool:
        return self.role in INSTITUTIONAL_ROLES

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    def set_phone(self, phone: str) -> None:
        self.phone = phone
        self.phone_index = blind_index(phone, "user.phone") if phone else ""

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class PhoneCode(models.Model):
    """A one-time code sent by SMS. Stored hashed; single use; a few attempts; short-lived."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", "注册"
        RESET = "reset", "找回密码"

    phone_index = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["phone_index", "purpose", "created_at"], name="phone_code_lookup_idx")
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


def hash_secret(value: str) -> str:
    """Hash of a high-entropy secret (token, one-time code with its phone as salt). Not for passwords."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


# What a partner system's token may be allowed to do. Apps add their scopes here as they add partner APIs.
API_SCOPES = {
    "people:read": "读取本机构经办业务涉及的人员（脱敏）",
}


class ApiToken(models.Model):
    """A partner system's key to the API. Shown once, stored hashed, scoped, expiring, revocable.

    It acts as ``user``, an account of the partner organisation, so the same access rules apply to the web and
    the API; deactivating that account disables its tokens.
    """

    PREFIX = "cy_"

    name = models.CharField("名称", max_length=100)
    user = models.ForeignKey(User, verbose_name="所属账户", on_delete=models.CASCADE, related_name="api_tokens")
    key_prefix = models.CharField("令牌前缀", max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField("权限范围", default=list, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    expires_at = models.DateTimeField("过期时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name}（{self.key_prefix}…）"

    @classmethod
    def new_secret(cls) -> tuple[str, str]:
        """A fresh (prefix, full key). The prefix finds the row; the full key is checked against its hash."""
        prefix = secrets.token_hex(4)
        return prefix, f"{cls.PREFIX}{prefix}_{secrets.token_urlsafe(32)}"

    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now() and self.user.is_active
