"""Spreadsheets: the subsidy statement a bank receives for each claim, and repayments a bank uploads in bulk.

Every text cell is neutralised against formula injection (``registry.excel.neutralise``); amounts are written as
exact decimals. An upload is checked by content (a real .xlsx), by size and row count; each row carries the bank's
own transaction number, used as its idempotency key, so uploading the same file twice records nothing twice.
"""

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from openpyxl import Workbook, load_workbook

from chuangye.core.errors import DomainError, FieldValueError
from chuangye.loans.access import loans_for
from chuangye.loans.actions import loan_repay
from chuangye.loans.idempotency import run_once
from chuangye.loans.models import Repayment, SubsidyClaim
from chuangye.registry.excel import XLSX_MAGIC, text_cells, workbook_bytes

STATEMENT_HEADERS = (
    "贷款编号",
    "借款人",
    "起息日",
    "结息日",
    "计息天数",
    "计息本金（元）",
    "执行年利率",
    "已付利息（元）",
    "贴息金额（元）",
    "说明",
)
REPAYMENT_HEADERS = ("贷款编号", "还款日", "归还本金", "归还利息", "业务流水号")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


def statement_workbook(claim: SubsidyClaim) -> bytes:
    """One sheet per claim: the claim's heading, a line per interest period, and the total."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("贴息明细")
    sheet.append(text_cells(sheet, [f"{claim.bank.name} {claim.period_label} 创业担保贷款贴息结算单"], bold=True))
    sheet.append(text_cells(sheet, ["经办地", claim.region_code, "状态", claim.get_state_display()]))
    sheet.append(text_cells(sheet, list(STATEMENT_HEADERS), bold=True))
    lines = claim.lines.select_related("loan").order_by("loan__number", "due")
    for line in lines.iterator(chunk_size=2000):
        sheet.append(
            [
                *text_cells(sheet, [line.loan.number, line.loan.borrower_name]),
                line.period_start,
                line.due,
                line.days,
                line.principal_basis,
                line.loan.annual_rate,
                line.interest_paid,
                line.amount,
                *text_cells(sheet, [line.reason]),
            ]
        )
    sheet.append([*text_cells(sheet, ["合计", f"{claim.line_count} 笔"], bold=True), None, None, None, None, None,
                  claim.interest_total, claim.total])  # fmt: skip
    return workbook_bytes(workbook)


def repayment_template() -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("还款")
    sheet.append(text_cells(sheet, list(REPAYMENT_HEADERS), bold=True))
    notes = workbook.create_sheet("填写说明")
    for text in (
        "每行一笔还款；还款日格式 YYYY-MM-DD；金额以元为单位，最多两位小数，按文本或数字填写均可。",
        "业务流水号为本行系统中该笔还款的唯一编号：同一流水号重复上传不会重复登记。",
        "同一贷款的多笔还款请按还款日先后排列。",
    ):
        notes.append(text_cells(notes, [text]))
    return workbook_bytes(workbook)


@dataclass(frozen=True)
class RowResult:
    row: int
    outcome: str  # "recorded", "duplicate", "error"
    message: str


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):
        return str(value.date().isoformat())
    if isinstance(value, float):  # a number typed in Excel: read back exactly as shown with 2 decimals
        return f"{Decimal(repr(value)):.2f}"
    return str(value).strip()


def _rows(upload: UploadedFile) -> list[tuple[Any, ...]]:
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise FieldValueError("file", "还款文件", f"不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
    head = upload.read(4)
    upload.seek(0)
    if head != XLSX_MAGIC:
        raise FieldValueError("file", "还款文件", "只接受 .xlsx 格式（按文件内容判断）")
    sheet = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True).worksheets[0]
    rows = []
    for index, row in enumerate(sheet.iter_rows(values_only=True)):
        if index > MAX_ROWS:
            raise FieldValueError("file", "还款文件", f"一次最多导入 {MAX_ROWS} 行")
        rows.append(tuple(row[: len(REPAYMENT_HEADERS)]))
    if not rows or [str(c or "").strip() for c in rows[0]] != list(REPAYMENT_HEADERS):
        raise FieldValueError("file", "还款文件", "首行应为模板的列名：" + "、".join(REPAYMENT_HEADERS))
    return rows[1:]


def repayments_import(*, actor: Any, upload: UploadedFile) -> list[RowResult]:
    """Record each row as a repayment (its own transaction); report every row's outcome."""
    results = []
    loans = {loan.number: loan for loan in loans_for(actor)}
    for number, raw in enumerate(_rows(upload), start=2):
        values = [_cell_text(v) for v in raw] + [""] * (len(REPAYMENT_HEADERS) - len(raw))
        if not any(values):
            continue
        loan_number, paid_on, principal, interest, key = values[:5]
        loan = loans.get(loan_number)
        if loan is None:
            results.append(RowResult(number, "error", f"贷款编号 {loan_number or '（空）'} 不存在或不属于本行"))
            continue
        body = {"loan_id": loan.pk, "paid_on": paid_on, "principal": principal or "0", "interest": interest or "0"}

        def act(k: str, loan: Any = loan, body: dict[str, Any] = body) -> tuple[int, dict[str, Any]]:
            made = loan_repay(actor=actor, loan=loan, paid_on=body["paid_on"], principal=body["principal"],
                              interest=body["interest"], source=Repayment.Source.EXCEL, idempotency_key=k)  # fmt: skip
            return 201, {"repayment_id": made.pk}

        try:
            _, _, replayed = run_once(actor, key=key, operation="repay", body=body, action=act)
        except DomainError as error:
            results.append(RowResult(number, "error", error.message))
            continue
        message = "该流水号已登记过，未重复入账" if replayed else "还款已入账"
        results.append(RowResult(number, "duplicate" if replayed else "recorded", message))
    return results
