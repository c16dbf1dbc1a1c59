"""The registrant spreadsheet: its columns, the downloadable template, reading an upload safely, and writing cells
that a spreadsheet program will never run as formulas.

Reading and writing people lives in ``imports`` and ``exports``; this module only knows about workbooks.
"""

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from chuangye.core.errors import FieldValueError
from chuangye.core.models import Region
from chuangye.registry.models import Education, Employment, KeyGroupCategory

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# A workbook with many empty formatted rows is read row by row; stop long before a "zip bomb" of them costs much.
MAX_RAW_ROWS = MAX_ROWS * 5
FILE_FIELD, FILE_LABEL = "file", "导入文件"
XLSX_MAGIC = b"PK\x03\x04"
LEGACY_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
# OWASP "CSV injection": a cell starting with one of these is run as a formula (or DDE command) by Excel or WPS.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    label: str
    field: str
    required: bool
    hint: str


COLUMNS = (
    Column("姓名", "name", True, "2至30个字"),
    Column("身份证号", "id_number", True, "18位（或15位旧号码），请按文本格式填写，性别和出生日期由号码读出"),
    Column("手机号", "phone", False, "11位中国大陆手机号"),
    Column("户籍地代码", "hukou_region_code", False, "6位行政区划代码；不填则取身份证号前6位"),
    Column("常住地代码", "region_code", True, "6位行政区划代码，须在您的管辖范围内"),
    Column("学历", "education", False, "见下方“学历”取值"),
    Column("毕业院校", "school", False, "最多100个字"),
    Column("毕业日期", "graduation_date", False, "日期，格式 YYYY-MM-DD"),
    Column("就业状态", "employment", False, "见下方“就业状态”取值；不填为“未登记”"),
    Column("重点群体", "key_groups", False, "已认定的重点群体类别代码或名称，多个用顿号“、”分隔"),
    Column("群体有效期自", "key_group_from", False, "填写重点群体时必填，格式 YYYY-MM-DD"),
    Column("群体有效期至", "key_group_to", False, "不填则按类别默认有效期计算（无默认的长期有效）"),
)
LABELS = {c.field: c.label for c in COLUMNS}
FIELDS = {c.label: c.field for c in COLUMNS}


def neutralise(value: Any) -> Any:
    """A value safe to put in a cell: text that a spreadsheet would run as a formula gets a leading apostrophe,
    so it is shown (and, if the file is later saved as CSV, stays) as plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def text_cells(sheet: Worksheet, values: list[Any], *, bold: bool = False) -> list[WriteOnlyCell]:
    """Cells for a write-only sheet; every string is neutralised and written as a string."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=neutralise(value))
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook(province_code: str = "") -> bytes:
    """The import template: the header row, and a second sheet explaining each column and its allowed values
    (the key-group categories are the national ones and those of ``province_code``)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人员")
    for index, column in enumerate(COLUMNS):
        # Text format on the identifier columns: typed as numbers, an ID number loses its last digits.
        letter = chr(ord("A") + index)
        sheet.column_dimensions[letter].width = 20 if column.field in ("id_number", "school", "key_groups") else 14
        if column.field in ("id_number", "phone", "hukou_region_code", "region_code"):
            sheet.column_dimensions[letter].number_format = "@"
    sheet.append(text_cells(sheet, [c.label for c in COLUMNS], bold=True))
    notes = workbook.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 40
    notes.column_dimensions["C"].width = 60
    notes.append(text_cells(notes, ["列", "是否必填", "说明"], bold=True))
    for column in COLUMNS:
        notes.append(text_cells(notes, [column.label, "必填" if column.required else "选填", column.hint]))
    notes.append([])
    notes.append(text_cells(notes, ["一个文件中有任何一行有问题，整个文件都不会导入；请按问题清单改正后重新上传。"]))
    notes.append(text_cells(notes, ["已登记的人员不会重复创建；信息不一致时保留系统中的记录并给出提示。"]))
    for title, choices in (("学历", Education), ("就业状态", Employment)):
        notes.append([])
        notes.append(text_cells(notes, [f"“{title}”取值", "代码"], bold=True))
        for code, label in choices.choices:
            notes.append(text_cells(notes, [label, code]))
    notes.append([])
    notes.append(text_cells(notes, ["“重点群体”取值（名称）", "代码", "适用范围"], bold=True))
    province = Region.objects.filter(code=f"{province_code[:2]}0000").values_list("name", flat=True).first() or ""
    categories = KeyGroupCategory.objects.filter(is_active=True, province_code__in=["", province_code[:2]])
    for category in categories.order_by("province_code", "pk"):
        scope = f"{province}就业困难人员类别" if category.province_code else "全国"
        notes.append(text_cells(notes, [category.name, category.code, scope]))
    return workbook_bytes(workbook)


def refuse_file(problem: str) -> FieldValueError:
    return FieldValueError(FILE_FIELD, FILE_LABEL, problem)


def check_upload(data: bytes) -> None:
    """Refuse, with a Chinese message, anything that is not a real .xlsx workbook of acceptable size.

    The type is decided by content, never by the file name: an HTML page or CSV renamed .xlsx is refused.
    """
    if not data:
        raise refuse_file("是空文件")
    if len(data) > MAX_UPLOAD_BYTES:
        raise refuse_file(f"不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请拆分后分批导入")
    if data.startswith(LEGACY_XLS_MAGIC):
        raise refuse_file("是旧版 Excel（.xls）格式，请用 Excel 或 WPS 另存为 .xlsx 后再上传")
    if not data.startswith(XLSX_MAGIC):
        raise refuse_file("不是 Excel（.xlsx）文件（按文件内容判断，不看扩展名），请使用下载的模板")
    header_row(data)  # opens the workbook: a zip that is not a workbook is refused here


def _first_sheet(data: bytes) -> Worksheet:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        return workbook.worksheets[0]
    except Exception as error:  # openpyxl raises assorted errors on malformed parts; none may become a 500
        raise refuse_file("无法作为 Excel 工作簿打开，请用 Excel 或 WPS 重新保存为 .xlsx") from error


def header_row(data: bytes) -> dict[int, str]:
    """Column index → field name, from the first row; a missing required column refuses the file."""
    return _headers(_first_sheet(data))


def _headers(sheet: Worksheet) -> dict[int, str]:
    first = next(sheet.iter_rows(min_row=1, max_row=1, max_col=len(COLUMNS) * 2, values_only=True), ())
    headers = {i: FIELDS[str(v).strip()] for i, v in enumerate(first) if v is not None and str(v).strip() in FIELDS}
    missing = [c.label for c in COLUMNS if c.required and c.field not in headers.values()]
    if missing:
        raise refuse_file(f"第1行缺少列：{'、'.join(missing)}（请使用下载的模板，不要改动表头）")
    return headers


@dataclass
class SheetRow:
    number: int  # as Excel shows it, the header being row 1
    values: dict[str, Any]
    formulas: list[str]  # fields whose cell holds a formula: refused, an import takes values only


def read_rows(data: bytes) -> Iterator[SheetRow]:
    """The non-empty data rows of the first sheet, keyed by field name. Raises when there are too many."""
    sheet = _first_sheet(data)
    headers = _headers(sheet)
    width = max(headers) + 1
    seen = 0
    for number, cells in enumerate(sheet.iter_rows(min_row=2, max_col=width), start=2):
        if number > MAX_RAW_ROWS:
            raise refuse_file(f"行数过多（超过 {MAX_RAW_ROWS} 行，含空行），请删除多余的空行或拆分文件")
        values: dict[str, Any] = {}
        formulas = []
        for index, cell in enumerate(cells):
            field = headers.get(index)
            if field is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            values[field] = cell.value
            if cell.data_type == "f":
                formulas.append(field)
        if not values:
            continue
        seen += 1
        if seen > MAX_ROWS:
            raise refuse_file(f"数据超过 {MAX_ROWS} 行，请拆分后分批导入")
        yield SheetRow(number, values, formulas)


def cell_text(value: Any) -> str:
    """A cell's value as the text a person typed: whole numbers without ".0", dates as YYYY-MM-DD."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
