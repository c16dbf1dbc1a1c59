"""Excel workbooks: any table of the dashboards as a sheet, and the monthly report in its fixed layout.

Monthly report layout (fixed, so bureaus can paste it upward): sheet 「月报」 with the title in A1, the reporting
unit and period in A2, the header in row 4 (序号, 类别, 指标, 单位, 本月, 本年累计, 年度目标, 完成进度) and one row a
KPI from row 5 in registry order; sheet 「分地区」 with a row per sub-region and a column per KPI (the month's
figures); sheet 「指标口径」 with each KPI's code, name, formula and source tables.
"""

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chuangye.core.models import Region
from chuangye.reporting import kpi as K
from chuangye.reporting import selectors
from chuangye.reporting.periods import Period

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONTHLY_HEADER = ("序号", "类别", "指标", "单位", "本月", "本年累计", "年度目标", "完成进度")


def cell_value(figure: K.Figure, kind: str) -> object:
    """A figure as a spreadsheet value: numbers stay numbers (money to the 分, rates as fractions), None blank."""
    if figure.value is None:
        return None
    if kind == K.MONEY:
        return float(Decimal(figure.value))  # openpyxl writes numbers; two decimals are exact at this size
    if kind in (K.RATE, K.RATIO):
        return float(figure.value)
    return int(figure.value)


def _fit(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _format(sheet: Worksheet, row: int, column: int, kind: str) -> None:
    sheet.cell(row=row, column=column).number_format = {K.MONEY: "#,##0.00", K.RATE: "0.0%", K.RATIO: "0.00"}.get(
        kind, "#,##0"
    )


def table_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    _fit(sheet, [max(10, len(h) * 2 + 4) for h in headers])
    return _save(book)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def monthly_workbook(region: Region, period: Period) -> bytes:
    kpis = K.all_kpis()
    book = Workbook()
    sheet = book.active
    sheet.title = "月报"
    sheet["A1"] = f"{region.full_name}重点群体创业推进行动统计月报"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:H1")
    sheet["A2"] = f"填报单位：{region.full_name}人力资源和社会保障部门    统计期：{period.label}"
    sheet.append([])
    sheet.append(list(MONTHLY_HEADER))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for number, row in enumerate(selectors.summary(region, period, kpis), start=1):
        target = float(row.target) if row.target is not None else None
        sheet.append(
            [
                number,
                row.kpi.topic,
                row.kpi.label,
                row.kpi.unit,
                cell_value(row.figure, row.kpi.kind),
                cell_value(row.year_to_date, row.kpi.kind),
                target,
                float(row.completion) if row.completion is not None else None,
            ]
        )
        line = sheet.max_row
        for column in (5, 6, 7):
            _format(sheet, line, column, row.kpi.kind)
        _format(sheet, line, 8, K.RATE)
    _fit(sheet, [6, 18, 30, 6, 16, 16, 14, 10])

    by_region = book.create_sheet("分地区")
    subs = selectors.children(region)
    by_region.append(["行政区划代码", "名称", *[f"{k.label}（{k.unit}）" for k in kpis]])
    for cell in by_region[1]:
        cell.font = Font(bold=True)
    columns = [dict(selectors.comparison(region, period, item, subs)) for item in kpis]
    for sub in subs:
        by_region.append(
            [sub.code, sub.name, *[cell_value(col[sub], item.kind) for col, item in zip(columns, kpis, strict=True)]]
        )
    _fit(by_region, [12, 16, *[14 for _ in kpis]])

    notes = book.create_sheet("指标口径")
    notes.append(["指标代码", "指标", "单位", "口径", "数据来源"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for item in kpis:
        notes.append([item.code, item.label, item.unit, item.formula, "、".join(item.sources)])
    _fit(notes, [28, 28, 6, 80, 50])
    return _save(book)
