"""Exporting people to Excel: the same people the list shows (scope and filters), masked, key groups in force today,
every cell safe from formula injection; one audit event per export."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from openpyxl import Workbook

from chuangye.core.audit import record_event
from chuangye.core.errors import DomainError
from chuangye.core.pii import mask_id_number, mask_phone
from chuangye.registry.excel import text_cells, workbook_bytes
from chuangye.registry.models import Education, Employment, KeyGroupStatus, Person
from chuangye.registry.selectors import in_force, person_search

MAX_EXPORT_ROWS = 200_000
CHUNK = 2000
HEADERS = (
    "姓名",
    "性别",
    "出生日期",
    "身份证号（脱敏）",
    "手机号（脱敏）",
    "户籍地代码",
    "常住地代码",
    "学历",
    "毕业院校",
    "毕业日期",
    "就业状态",
    "重点群体（当日有效）",
)
EDUCATION = dict(Education.choices)
EMPLOYMENT = dict(Employment.choices)


@dataclass(frozen=True)
class PeopleExport:
    content: bytes
    count: int
    file_name: str


def _masked_query(query: str) -> str:
    """The search text as it may be logged: a full ID number or phone number is a personal identifier."""
    text = query.strip()
    if len(text) == 18:
        return mask_id_number(text)
    if len(text) == 11 and text.isdigit():
        return mask_phone(text)
    return text[:50]


def people_export(
    *, actor: Any, query: str = "", region_code: str = "", group: str = "", request: HttpRequest | None = None
) -> PeopleExport:
    """The people ``actor`` may see, filtered like the list page, as an .xlsx workbook."""
    today = timezone.localdate()
    people = person_search(user=actor, query=query, region_code=region_code, group=group, on=today)
    count = people.count()
    if count > MAX_EXPORT_ROWS:
        raise DomainError(f"符合条件的人员有 {count} 人，超过单次导出上限 {MAX_EXPORT_ROWS} 人，请缩小范围后再导出")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人员")
    sheet.append(text_cells(sheet, list(HEADERS), bold=True))
    for chunk in _chunks(people):
        groups = _groups_in_force([p.pk for p in chunk], today)
        for person in chunk:
            sheet.append(text_cells(sheet, _row(person, groups.get(person.pk, []))))
    record_event(
        "person.export",
        actor=actor,
        object_type="person",
        region_code=getattr(actor, "region_code", ""),
        details={"q": _masked_query(query), "region_code": region_code, "group": group, "count": count},
        request=request,
    )
    name = f"人员名单_{today:%Y%m%d}.xlsx"
    return PeopleExport(content=workbook_bytes(workbook), count=count, file_name=name)


def _chunks(people: Any) -> Any:
    """Keyset pages by id: a long export neither holds every row in memory nor slows down with OFFSET."""
    last = 0
    while True:
        chunk = list(people.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _groups_in_force(person_ids: list[int], on: dt.date) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    rows = KeyGroupStatus.objects.filter(in_force(on), person_id__in=person_ids).order_by("category__pk")
    for person_id, name in rows.values_list("person_id", "category__name"):
        if name not in groups.setdefault(person_id, []):
            groups[person_id].append(name)
    return groups


def _row(person: Person, groups: list[str]) -> list[Any]:
    return [
        person.name,
        person.get_sex_display(),
        person.birth_date,
        person.id_number_masked,
        person.phone_masked,
        person.hukou_region_code,
        person.region_code,
        EDUCATION.get(person.education, ""),
        person.school,
        person.graduation_date,
        EMPLOYMENT.get(person.employment, ""),
        "、".join(groups),
    ]
