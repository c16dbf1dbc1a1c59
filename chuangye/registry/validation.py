"""Checking the fields of a person, shared by the forms, the API and the Excel import (so all three say the same)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from chuangye.core.errors import FieldValueError
from chuangye.core.ids import parse_resident_id
from chuangye.core.models import Region
from chuangye.registry.models import Education, Employment

PHONE_LABEL = "手机号"


def clean_phone(value: object, *, field: str = "phone") -> str:
    phone = str(value or "").strip().replace(" ", "").replace("-", "")
    if not phone:
        return ""
    if len(phone) != 11 or not phone.isdigit() or phone[0] != "1" or phone[1] not in "3456789":
        raise FieldValueError(field, PHONE_LABEL, "应为11位中国大陆手机号，例如 13812345678")
    return phone


def clean_name(value: object, *, field: str = "name") -> str:
    name = str(value or "").strip()
    if not 2 <= len(name) <= 30:
        raise FieldValueError(field, "姓名", "应为2至30个字")
    if any(c.isdigit() for c in name) or name[0] in "=+-@":
        raise FieldValueError(field, "姓名", "不能含数字或以公式符号开头")
    return name


def clean_date(value: object, *, field: str, label: str, today: dt.date | None = None) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise FieldValueError(field, label, "应为日期，格式 YYYY-MM-DD") from None
    if day.year < 1900 or day > (today or timezone.localdate()) + dt.timedelta(days=3660):
        raise FieldValueError(field, label, "不合理")
    return day


def clean_choice(value: object, choices: type[Education] | type[Employment], *, field: str, label: str) -> str:
    """Accept a choice by its code or its Chinese label."""
    text = str(value or "").strip()
    if not text:
        return ""
    for code, name in choices.choices:
        if text in (code, name):
            return str(code)
    allowed = "、".join(str(name) for _, name in choices.choices)
    raise FieldValueError(field, label, f"应为以下之一：{allowed}")


class RegionCodes:
    """The current region codes, loaded once per batch (an import checks thousands of rows)."""

    def __init__(self) -> None:
        self._codes: set[str] | None = None

    def check(self, value: object, *, field: str, label: str) -> str:
        if self._codes is None:
            self._codes = set(Region.objects.values_list("code", flat=True))
        code = str(value or "").strip()
        if len(code) != 6 or not code.isdigit():
            raise FieldValueError(field, label, "应为6位数字的行政区划代码，例如 510104")
        if code not in self._codes:
            raise FieldValueError(field, label, f"{code} 不是现行的行政区划代码")
        return code


@dataclass
class PersonInput:
    """A person's fields, checked. ``sex`` and ``birth_date`` come from the ID number, never from input."""

    name: str
    id_number: str
    sex: str
    birth_date: dt.date
    phone: str
    hukou_region_code: str
    region_code: str
    education: str
    school: str
    graduation_date: dt.date | None
    employment: str


def clean_person(data: dict[str, object], regions: RegionCodes | None = None) -> PersonInput:
    """Check every field; the first problem raises, naming its field."""
    regions = regions or RegionCodes()
    parsed = parse_resident_id(data.get("id_number"))
    hukou = data.get("hukou_region_code") or parsed.region_code
    return PersonInput(
        name=clean_name(data.get("name")),
        id_number=parsed.number,
        sex=parsed.sex,
        birth_date=parsed.birth_date,
        phone=clean_phone(data.get("phone")),
        hukou_region_code=regions.check(hukou, field="hukou_region_code", label="户籍地"),
        region_code=regions.check(data.get("region_code"), field="region_code", label="常住地"),
        education=clean_choice(data.get("education"), Education, field="education", label="学历"),
        school=str(data.get("school") or "").strip()[:100],
        graduation_date=clean_date(data.get("graduation_date"), field="graduation_date", label="毕业日期"),
        employment=clean_choice(data.get("employment"), Employment, field="employment", label="就业状态")
        or Employment.UNKNOWN,
    )
