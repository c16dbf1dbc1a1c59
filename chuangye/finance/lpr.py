"""The LPR series in the database: the source every LPR look-up reads (``policies.rates``), and entering newly
published rates one by one or from a spreadsheet, audited.

The history to 2025-05-20 is seeded by a data migration with the same documents as the shipped series, so a
decision's trace reads the same whichever source it came from; rates published later are entered here.
"""

import datetime as dt
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest
from openpyxl import load_workbook

from chuangye.accounts.models import Role
from chuangye.core.audit import record_event
from chuangye.core.errors import DomainError, FieldValueError
from chuangye.finance.models import LprRate
from chuangye.policies.facts import parse_rate
from chuangye.policies.params import Entry
from chuangye.registry.excel import XLSX_MAGIC

logger = logging.getLogger(__name__)
PUBLISHER = "全国银行间同业拆借中心 贷款市场报价利率（LPR）公告"
IMPORT_HEADERS = ("起始日期", "1年期", "5年期以上", "来源")
MAX_UPLOAD_BYTES = 1024 * 1024


def database_lpr_entries() -> Iterable[tuple[str, Entry]]:
    """Every stored rate as (term, dated parameter entry), read in one query.

    Where the database cannot be read (not migrated, or a computation that runs without one, such as a pure
    policy test or a benchmark), the shipped series alone applies; the history seeded here is identical to it.
    """
    try:
        if connection.in_atomic_block:
            with transaction.atomic():  # a savepoint, so that a failed read leaves the caller's transaction usable
                rows = _read_rates()
        else:
            rows = _read_rates()
    except (DatabaseError, RuntimeError) as error:  # RuntimeError: the test runner's "database access not allowed"
        logger.debug("LPR table unavailable, using the shipped series: %s", error)
        return []
    return [(term, Entry(start=start, value=Fraction(rate), document=source)) for term, start, rate, source in rows]


def _read_rates() -> list[tuple[str, dt.date, str, str]]:
    """The stored rates as (term, start, rate as decimal text, source), by term and start.

    Plain SQL rather than the ORM: every parameter snapshot (each decision, each batch) reads this table, and
    building the same query through the ORM took most of that read (about 0.5 ms of 0.8 on the benchmark
    machine). The rate is turned into text, so it stays exact: PostgreSQL gives a Decimal; SQLite keeps the
    column as a binary float, whose shortest text (``str``) is the decimal that was stored (at most 7 digits)."""
    sql = _RATES_SQL.get(connection.vendor)
    if sql is None:  # built once per database vendor (its quoting), not per connection
        sql = _RATES_SQL[connection.vendor] = _rates_sql(connection.ops.quote_name)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [(term, _as_date(start), str(rate), source) for term, start, rate, source in cursor.fetchall()]


_RATES_SQL: dict[str, str] = {}


def _rates_sql(quote: Callable[[str], str]) -> str:
    names = ("term", "effective_from", "rate", "source")
    field = {name: quote(getattr(LprRate._meta.get_field(name), "column", name)) for name in names}
    table = quote(LprRate._meta.db_table)
    columns = f"{field['term']}, {field['effective_from']}, {field['rate']}, {field['source']}"
    order = f"{field['term']}, {field['effective_from']}"
    return f"SELECT {columns} FROM {table} ORDER BY {order}"  # noqa: S608 - the model's own names, quoted


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _require_rate_keeper(actor: Any) -> None:
    """The LPR is national: entered by a supervisor with province (or national) scope."""
    scope = getattr(actor, "region_code", "") or ""
    if getattr(actor, "role", None) != Role.SUPERVISOR or not scope.endswith("0000"):
        raise DomainError("LPR 由省级（或全国）人社部门主管录入", code="forbidden", status=403)


@transaction.atomic
def lpr_create(
    *,
    actor: Any,
    effective_from: dt.date,
    term: str,
    rate: object,
    source: str = PUBLISHER,
    request: HttpRequest | None = None,
) -> LprRate:
    """Enter a published rate. A rate for the same term and day cannot be entered twice (correct it in the admin
    site, where the change is audited)."""
    _require_rate_keeper(actor)
    if term not in LprRate.Term.values:
        raise FieldValueError("term", "期限", "应为 1y 或 5y")
    value = parse_rate(str(rate), field="rate", label="利率")
    if not Decimal("0.001") <= value <= Decimal("0.2"):
        raise FieldValueError("rate", "利率", "应在 0.1% 至 20% 之间（请按小数或百分数填写，例如 0.03 或 3%）")
    if LprRate.objects.filter(term=term, effective_from=effective_from).exists():
        raise FieldValueError("effective_from", "起始日期", f"{effective_from} 的{LprRate.Term(term).label} LPR 已录入")
    row = LprRate.objects.create(
        effective_from=effective_from,
        term=term,
        rate=value,
        source=source.strip()[:200] or PUBLISHER,
        created_by=actor,
    )
    record_event(
        "finance.lpr_created",
        actor=actor,
        object_type="finance.LprRate",
        object_id=row.pk,
        details={"term": term, "from": effective_from.isoformat(), "rate": str(value)},
        request=request,
    )
    return row


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped: int


def _date(value: Any, line: int) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FieldValueError("file", "LPR 文件", f"第{line}行起始日期应为 YYYY-MM-DD") from None


def _rate_text(value: Any) -> str:
    if isinstance(value, float):  # typed as a number in Excel: 3.45 means 3.45 %
        return f"{Decimal(repr(value))}%"
    text = str(value).strip()
    return text if text.endswith("%") or Decimal(text) < 1 else f"{text}%"


@transaction.atomic
def lpr_import(*, actor: Any, upload: UploadedFile, request: HttpRequest | None = None) -> ImportResult:
    """Import a sheet of rates (起始日期, 1年期, 5年期以上, 来源). Rows already entered with the same rate are
    skipped; a different rate for an entered day is refused. All rows or none."""
    _require_rate_keeper(actor)
    if (upload.size or 0) > MAX_UPLOAD_BYTES or upload.read(4) != XLSX_MAGIC:
        raise FieldValueError("file", "LPR 文件", "只接受 1 MB 以内的 .xlsx 文件")
    upload.seek(0)
    rows = list(load_workbook(io.BytesIO(upload.read()), read_only=True).worksheets[0].iter_rows(values_only=True))
    if not rows or tuple(str(c or "").strip() for c in rows[0][:4]) != IMPORT_HEADERS:
        raise FieldValueError("file", "LPR 文件", "首行应为：" + "、".join(IMPORT_HEADERS))
    created = skipped = 0
    for line, row in enumerate(rows[1:], start=2):
        if not row or row[0] is None:
            continue
        day = _date(row[0], line)
        source = str(row[3] or PUBLISHER) if len(row) > 3 else PUBLISHER
        for term, raw in (("1y", row[1]), ("5y", row[2])):
            if raw is None or str(raw).strip() == "":
                continue
            value = parse_rate(_rate_text(raw), field="file", label=f"第{line}行利率")
            existing = LprRate.objects.filter(term=term, effective_from=day).first()
            if existing is not None:
                if existing.rate != value:
                    raise FieldValueError("file", "LPR 文件", f"第{line}行：{day} 已录入不同的利率 {existing.rate}")
                skipped += 1
                continue
            lpr_create(actor=actor, effective_from=day, term=term, rate=value, source=source, request=request)
            created += 1
    return ImportResult(created, skipped)
