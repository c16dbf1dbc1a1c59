"""People known to the platform (registrants). Personal identifiers are encrypted and found by blind index."""

from typing import ClassVar

from django.conf import settings
from django.db import models

from chuangye.core.pii import EncryptedTextField, blind_index, mask_id_number, mask_phone


class Person(models.Model):
    """One record per person, keyed by resident ID number (unique through its blind index)."""

    class Sex(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedTextField("身份证号", purpose="person.id_number")
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    phone = EncryptedTextField("手机号", purpose="person.phone", blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    hukou_region_code = models.CharField("户籍地", max_length=6)
    # The jurisdiction a person belongs to for services is where they usually live (常住地).
    region_code = models.CharField("常住地", max_length=6, db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return self.name

    def set_id_number(self, number: str) -> None:
        """Store a validated, normalised ID number together with its look-up index."""
        self.id_number = number
        self.id_number_index = blind_index(number, "person.id_number")

    def set_phone(self, phone: str) -> None:
        self.phone = phone
        self.phone_index = blind_index(phone, "person.phone") if phone else ""

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""
