"""Reporting periods: a month, a quarter or a year, written "2026-03", "2026-Q1" or "2026"."""

import datetime as dt
import re
from dataclasses import dataclass

from chuangye.core.errors import FieldValueError

MONTH, QUARTER, YEAR = "month", "quarter", "year"
_FORMS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), MONTH),
    (re.compile(r"^(\d{4})-[Qq]([1-4])$"), QUARTER),
    (re.compile(r"^(\d{4})$"), YEAR),
)


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int = 1  # the month (1-12) or quarter (1-4); 1 for a year

    @property
    def start(self) -> dt.date:
        if self.kind == MONTH:
            return dt.date(self.year, self.number, 1)
        if self.kind == QUARTER:
            return dt.date(self.year, 3 * self.number - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        return self.following().start - dt.timedelta(days=1)

    @property
    def code(self) -> str:
        if self.kind == MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == QUARTER:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}"

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{self.year}年{self.number}月"
        if self.kind == QUARTER:
            return f"{self.year}年第{self.number}季度"
        return f"{self.year}年"

    def following(self) -> "Period":
        size = {MONTH: 12, QUARTER: 4, YEAR: 1}[self.kind]
        if self.number < size:
            return Period(self.kind, self.year, self.number + 1)
        return Period(self.kind, self.year + 1, 1)

    def previous(self) -> "Period":
        size = {MONTH: 12, QUARTER: 4, YEAR: 1}[self.kind]
        if self.number > 1:
            return Period(self.kind, self.year, self.number - 1)
        return Period(self.kind, self.year - 1, size)

    def trend(self, count: int | None = None) -> list["Period"]:
        """This period and the ones before it, oldest first: 12 months, 8 quarters or 5 years by default."""
        count = count or {MONTH: 12, QUARTER: 8, YEAR: 5}[self.kind]
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return periods[::-1]

    def year_to_date(self) -> tuple[dt.date, dt.date]:
        return dt.date(self.year, 1, 1), self.end


def parse_period(text: str, *, field: str = "period") -> Period:
    value = (text or "").strip()
    for pattern, kind in _FORMS:
        found = pattern.match(value)
        if found:
            year = int(found.group(1))
            number = int(found.group(2)) if kind != YEAR else 1
            if not 2000 <= year <= 2100 or (kind == MONTH and not 1 <= number <= 12):
                break
            return Period(kind, year, number)
    raise FieldValueError(field, "统计期", "应为年月（2026-03）、季度（2026-Q1）或年份（2026）")


def current_month(today: dt.date) -> Period:
    return Period(MONTH, today.year, today.month)


def last_complete_month(today: dt.date) -> Period:
    return current_month(today).previous()
