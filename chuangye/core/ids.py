"""Resident ID numbers (GB 11643) and unified social credit codes (GB 32100): validation, parsing, generation.

Checksums come from python-stdnum. Two deliberate differences from ``stdnum.cn.ric.validate``
(docs/decisions/0003-resident-id-region-check.md): a region code is accepted if it ever existed, whatever the birth
year, because the code records where the number was first issued, not where or when the person was born; and
15-digit numbers issued before 1999 are accepted and converted to their 18-digit form.
"""

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Literal

from django.utils import timezone
from stdnum import numdb
from stdnum.cn import ric, uscc

from chuangye.core.errors import FieldValueError

Sex = Literal["M", "F"]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Kind digit (position 2) for codes issued by market regulation (position 1 = "9").
ENTITY_KINDS = {"enterprise": "1", "individual": "2", "cooperative": "3"}


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: dt.date
    sex: Sex
    region_code: str


@dataclass(frozen=True)
class CreditCode:
    code: str
    authority: str
    kind: str
    region_code: str
    organisation_code: str


@functools.lru_cache(maxsize=4096)
def _known_region(code: str) -> bool:
    return any(props.get("county") or props.get("province") for _, props in numdb.get("cn/loc").info(code))


def upgrade_legacy_id(number: str) -> str:
    """Turn a 15-digit first-generation ID (YYMMDD, always 19YY) into its 18-digit form."""
    body = number[:6] + "19" + number[6:]
    return body + ric.calc_check_digit(body + "0")


def parse_resident_id(
    value: object, *, field: str = "id_number", label: str = "身份证号", today: dt.date | None = None
) -> ResidentId:
    """Validate a resident ID number and read its birth date, sex and region; Chinese errors name the field."""
    number = str(value or "").strip().upper().replace(" ", "")
    if len(number) == 15 and number.isdigit():
        number = upgrade_legacy_id(number)
    if len(number) != 18:
        raise FieldValueError(field, label, "应为18位（或15位旧号码）")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise FieldValueError(field, label, "只能由数字组成，最后一位可以是 X")
    if number[17] != ric.calc_check_digit(number):
        raise FieldValueError(field, label, "校验位不正确，请核对号码")
    try:
        birth = ric.get_birth_date(number)
    except Exception:
        raise FieldValueError(field, label, "中的出生日期不存在") from None
    if birth > (today or timezone.localdate()) or birth.year < 1900:
        raise FieldValueError(field, label, "中的出生日期不合理")
    if not _known_region(number[:6]):
        raise FieldValueError(field, label, "中的地区码不存在")
    return ResidentId(number, birth, "M" if int(number[16]) % 2 else "F", number[:6])


def generate_resident_id(region_code: str, birth_date: dt.date, sex: Sex, sequence: int) -> str:
    """A valid ID number for tests and demo data. ``sequence`` (0–499) picks the order code within the day."""
    if not 0 <= sequence < 500:
        raise ValueError("sequence must be 0..499")
    order = sequence * 2 + (1 if sex == "M" else 0)
    body = f"{region_code}{birth_date:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def organisation_check_char(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum(_org_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _org_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - 55


def build_credit_code(authority: str, kind: str, region_code: str, org_body: str) -> str:
    """Assemble a credit code with both check characters (organisation code and the final MOD-31 check)."""
    if len(org_body) != 8 or any(c not in USCC_ALPHABET for c in org_body):
        raise ValueError("organisation code body must be 8 characters of the credit-code alphabet")
    first17 = authority + kind + region_code + org_body + organisation_check_char(org_body)
    return first17 + uscc.calc_check_digit(first17)


def parse_credit_code(value: object, *, field: str = "credit_code", label: str = "统一社会信用代码") -> CreditCode:
    """Validate a unified social credit code (both check characters) and split it into its parts."""
    code = str(value or "").strip().upper().replace(" ", "")
    if len(code) != 18:
        raise FieldValueError(field, label, "应为18位")
    if any(c not in USCC_ALPHABET for c in code):
        raise FieldValueError(field, label, "含有不允许的字符（不使用 I、O、S、V、Z）")
    if not code[:8].isdigit() or code[0] == "0":
        raise FieldValueError(field, label, "第1至8位（登记管理部门、机构类别、行政区划）格式不正确")
    if code[16] != organisation_check_char(code[8:16]):
        raise FieldValueError(field, label, "中的组织机构代码校验位不正确")
    if not uscc.is_valid(code):
        raise FieldValueError(field, label, "校验位不正确，请核对")
    return CreditCode(code, code[0], code[1], code[2:8], code[8:17])


def encode_org_body(sequence: int, prefix: str = "MA") -> str:
    """An organisation code body from a sequence number: the prefix then base-31 digits of the credit-code
    alphabet. "MA" is the prefix market regulation uses for codes it assigns to new entities."""
    width = 8 - len(prefix)
    if not 0 <= sequence < 31**width:
        raise ValueError("sequence out of range")
    digits = []
    for _ in range(width):
        sequence, rem = divmod(sequence, 31)
        digits.append(USCC_ALPHABET[rem])
    return prefix + "".join(reversed(digits))


def issue_credit_code(region_code: str, kind: str) -> str:
    """Issue the next credit code for a new market entity registered in ``region_code``.

    Numbers come from a per-region sequence under a row lock, so two offices never issue the same code; the
    caller's unique constraint on the business table remains the final guard.
    """
    from chuangye.core.sequences import next_value

    sequence = next_value(f"uscc:{region_code}")
    return build_credit_code("9", ENTITY_KINDS[kind], region_code, encode_org_body(sequence))
