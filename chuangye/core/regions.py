"""Administrative divisions (GB/T 2260) and the one region-scope test.

The division list is read from python-stdnum's data file (``stdnum/cn/loc.dat``), which stdnum keeps current for
validating ID numbers; see docs/decisions/0002-region-list-from-stdnum.md. Only divisions in use today are loaded.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import stdnum

from chuangye.core.errors import FieldValueError

PROVINCE, CITY, COUNTY = "province", "city", "county"
# Statistical placeholders, not divisions a person lives in.
_PLACEHOLDER_NAMES = {
    "市辖区",
    "县",
    "省直辖县级行政单位",
    "自治区直辖县级行政单位",
    "省直辖县级行政区划",
    "自治区直辖县级行政区划",
}


def significant_prefix(code: str) -> str:
    """The digits of a region code that name it: "51" for 510000, "5101" for 510100, all six for a county.

    "000000" (the whole country) has no significant digits, so every code is in its scope.
    """
    if len(code) != 6 or not code.isdigit():
        raise ValueError(f"region code must be 6 digits: {code!r}")
    if code == "000000":
        return ""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def in_scope(scope_code: str, code: str) -> bool:
    """True when the region ``code`` lies inside the scope region ``scope_code`` (a prefix test)."""
    if not code or len(code) != 6:
        return False
    return code.startswith(significant_prefix(scope_code))


def level_of(code: str) -> str:
    prefix = significant_prefix(code)
    return {2: PROVINCE, 4: CITY}.get(len(prefix), COUNTY)


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent_code: str | None


def _current_name(raw: str) -> str | None:
    """Pick the name in use today from stdnum's ``[1983-1990]旧名,[1990-]新名`` notation, or None if abolished."""
    for part in raw.split(","):
        if not part.startswith("["):
            return part
        span, name = part[1:].split("]", 1)
        _start, end = span.split("-")
        if not end:
            return name
    return None


def _loc_dat() -> Path:
    return Path(stdnum.__file__).parent / "cn" / "loc.dat"


def iter_current_divisions() -> Iterator[Division]:
    """Yield every division in use today: provinces, then their cities and counties, parents before children."""
    province_code = province_name = ""
    cities: set[str] = set()
    for line in _loc_dat().read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.strip().partition(" ")
        name = _current_name(value.partition('="')[2].rstrip('"'))
        if not line.startswith(" "):
            province_code, province_name = key + "0000", name or ""
            cities = set()
            yield Division(province_code, province_name, PROVINCE, None)
            continue
        code = province_code[:2] + key
        if name is None or name in _PLACEHOLDER_NAMES or code == province_code:
            continue
        if code.endswith("00"):
            cities.add(code)
            yield Division(code, name, CITY, province_code)
        else:
            city = code[:4] + "00"
            yield Division(code, name, COUNTY, city if city in cities else province_code)


def validate_region_code(value: object, *, field: str = "region_code", label: str = "行政区划代码") -> str:
    """Check that a value is a current region code in the regions table; return it as a string."""
    from chuangye.core.models import Region

    code = str(value or "").strip()
    if len(code) != 6 or not code.isdigit():
        raise FieldValueError(field, label, "应为6位数字的行政区划代码，例如 510104")
    if not Region.objects.filter(code=code).exists():
        raise FieldValueError(field, label, f"{code} 不是现行的行政区划代码")
    return code


def load_regions(region_model: Any = None) -> int:
    """Insert or update every current division in the regions table; safe to run twice. Returns the count.

    ``region_model`` lets a data migration pass its historical model.
    """
    if region_model is None:
        from chuangye.core.models import Region

        region_model = Region
    divisions = list(iter_current_divisions())
    names = {d.code: d for d in divisions}

    def full_name(d: Division) -> str:
        parent = names.get(d.parent_code) if d.parent_code else None
        return (full_name(parent) if parent else "") + d.name

    existing = set(region_model.objects.values_list("code", flat=True))
    rows = [
        region_model(code=d.code, name=d.name, level=d.level, parent_id=d.parent_code, full_name=full_name(d))
        for d in divisions
    ]
    # Parents come before children in the list, so inserting in order satisfies the foreign key.
    region_model.objects.bulk_create([r for r in rows if r.code not in existing], batch_size=500)
    region_model.objects.bulk_update(
        [r for r in rows if r.code in existing], ["name", "level", "parent", "full_name"], batch_size=500
    )
    return len(rows)
