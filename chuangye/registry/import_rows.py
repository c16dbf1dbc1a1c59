"""Checking the rows of an import file: every field of every row, with the same rules as the forms and the API
(``validation.clean_person``), plus what only a file can get wrong (formulas, numbers for ID numbers, the same ID
number twice, key groups and their dates). Problems are collected, never raised, so a clerk sees all of them."""

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from chuangye.core.dates import add_months
from chuangye.core.errors import FieldValueError
from chuangye.core.ids import generate_resident_id
from chuangye.core.pii import blind_index
from chuangye.core.regions import in_scope
from chuangye.registry.excel import LABELS, SheetRow, cell_text
from chuangye.registry.models import KeyGroupCategory
from chuangye.registry.validation import PersonInput, RegionCodes, clean_date, clean_person

PERSON_FIELDS = (
    "name",
    "id_number",
    "phone",
    "hukou_region_code",
    "region_code",
    "education",
    "school",
    "graduation_date",
    "employment",
)
DATE_FIELDS = ("graduation_date", "key_group_from", "key_group_to")
# Values that pass clean_person. After a field fails it is replaced by its stand-in and the row is checked again,
# so one upload reports every bad field of a row, not one per attempt. 110101 (东城区) is a current division.
STAND_INS: dict[str, object] = {
    "name": "某某",
    "id_number": generate_resident_id("110101", dt.date(1990, 1, 1), "M", 0),
    "phone": "",
    "hukou_region_code": "110101",
    "region_code": "110101",
    "education": "",
    "school": "",
    "graduation_date": "",
    "employment": "",
}
GROUP_SEPARATORS = re.compile(r"[、,，;；/\s]+")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import: ``row`` as Excel numbers it (None for the whole file), the column's label."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class KeyGroupClaim:
    category: KeyGroupCategory
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass
class CheckedRow:
    number: int
    person: PersonInput
    id_index: str
    filled: frozenset[str]  # the fields whose cells were not blank
    key_groups: list[KeyGroupClaim] = field(default_factory=list)


class RowChecker:
    """Checks rows one at a time for one importer; keeps the region list and categories for the whole file."""

    def __init__(self, *, scope_code: str, today: dt.date) -> None:
        self.scope_code = scope_code
        self.today = today
        self.regions = RegionCodes()
        categories = list(KeyGroupCategory.objects.filter(is_active=True))
        self.categories = {c.code: c for c in categories} | {c.name: c for c in categories}

    def check(self, row: SheetRow) -> tuple[CheckedRow | None, list[Problem]]:
        problems: list[Problem] = []
        data, failed = self._cell_data(row, problems)
        person = self._person(row.number, data, failed, problems)
        claims = self._key_groups(row.number, data, person, problems)
        if problems or person is None:
            return None, problems
        index = blind_index(person.id_number, "person.id_number")
        return CheckedRow(row.number, person, index, frozenset(row.values), claims), problems

    def _cell_data(self, row: SheetRow, problems: list[Problem]) -> tuple[dict[str, object], set[str]]:
        data: dict[str, object] = {}
        failed: set[str] = set()
        for name, value in row.values.items():
            if name in row.formulas:
                problems.append(_problem(row.number, name, "不能是公式，请复制后“粘贴为数值”"))
                failed.add(name)
            elif name == "id_number" and isinstance(value, float) and not (value.is_integer() and value < 2**53):
                problems.append(
                    _problem(row.number, name, "被保存成了数字，末几位已丢失；请把该列设为文本格式后重新填写")
                )
                failed.add(name)
            elif name in DATE_FIELDS and isinstance(value, dt.date):
                data[name] = value
            else:
                data[name] = cell_text(value)
        return data, failed

    def _person(
        self, number: int, data: dict[str, object], failed: set[str], problems: list[Problem]
    ) -> PersonInput | None:
        trial = {name: (STAND_INS[name] if name in failed else data.get(name, "")) for name in PERSON_FIELDS}
        for _ in PERSON_FIELDS:
            try:
                person = clean_person(trial, self.regions)
            except FieldValueError as error:
                if error.field_name in failed:
                    return None  # a stand-in failed too (it cannot, but never loop): the problem is already listed
                if error.field_name not in STAND_INS:
                    problems.append(Problem(number, LABELS.get(error.field_name, ""), error.message))
                    return None
                problems.append(Problem(number, LABELS[error.field_name], error.message))
                failed.add(error.field_name)
                trial[error.field_name] = STAND_INS[error.field_name]
                continue
            if failed:
                return None
            if not in_scope(self.scope_code, person.region_code):
                problems.append(_problem(number, "region_code", f"{person.region_code} 不在您的管辖范围内"))
                return None
            return person
        return None

    def _key_groups(
        self, number: int, data: dict[str, object], person: PersonInput | None, problems: list[Problem]
    ) -> list[KeyGroupClaim]:
        names = [n for n in GROUP_SEPARATORS.split(str(data.get("key_groups") or "")) if n]
        has_dates = bool(data.get("key_group_from") or data.get("key_group_to"))
        if not names:
            if has_dates:
                problems.append(_problem(number, "key_groups", "未填写，却填写了群体有效期"))
            return []
        categories: list[KeyGroupCategory] = []
        for name in dict.fromkeys(names):
            category = self.categories.get(name)
            if category is None:
                problems.append(_problem(number, "key_groups", f"“{name}”不是有效的类别，见模板“填写说明”"))
            elif (
                person is not None
                and category.province_code
                and not person.region_code.startswith(category.province_code)
            ):
                problems.append(_problem(number, "key_groups", f"“{category.name}”不适用于常住地所在省份"))
            else:
                categories.append(category)
        start, end = self._group_dates(number, data, problems)
        if start is None or len(categories) < len(dict.fromkeys(names)):
            return []
        return [KeyGroupClaim(c, start, end or _default_end(c, start)) for c in categories]

    def _group_dates(
        self, number: int, data: dict[str, object], problems: list[Problem]
    ) -> tuple[dt.date | None, dt.date | None]:
        try:
            start = clean_date(
                data.get("key_group_from"), field="key_group_from", label="群体有效期自", today=self.today
            )
            end = clean_date(data.get("key_group_to"), field="key_group_to", label="群体有效期至", today=self.today)
        except FieldValueError as error:
            problems.append(Problem(number, LABELS[error.field_name], error.message))
            return None, None
        if start is None:
            problems.append(_problem(number, "key_group_from", "填写重点群体时必填"))
            return None, None
        if end is not None and end < start:
            problems.append(_problem(number, "key_group_to", "不能早于群体有效期自"))
            return None, None
        return start, end


def _problem(number: int, name: str, problem: str) -> Problem:
    label = LABELS[name]
    return Problem(number, label, f"「{label}」{problem}")


def _default_end(category: KeyGroupCategory, start: dt.date) -> dt.date | None:
    """The same default validity as a certification decided on the workbench (actions.key_group_decide)."""
    if not category.default_valid_months:
        return None
    return add_months(start, category.default_valid_months) - dt.timedelta(days=1)


def duplicate_problems(rows_by_index: dict[str, list[int]]) -> list[Problem]:
    """Every row whose ID number appears on another row of the same file."""
    problems = []
    for numbers in rows_by_index.values():
        if len(numbers) < 2:
            continue
        for number in numbers:
            others = "、".join(str(n) for n in numbers if n != number)
            problems.append(_problem(number, "id_number", f"与第 {others} 行重复，同一人在一个文件中只能出现一次"))
    return problems
