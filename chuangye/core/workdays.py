"""Working days under the State Council holiday arrangement (weekends, holidays and make-up working weekends).

The calendar lives in two tables (``CalendarYear``, ``CalendarDay``) seeded from the chinesecalendar library and
editable by administrators, because a year's arrangement is published only weeks before it starts. For a year
with no published arrangement, Monday to Friday count as working days and every result that relied on such a day
is marked ``provisional``: a deadline is still computed (a case must never stop for want of a calendar), and the
user is told it may move.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from chuangye.core.models import CalendarDay, CalendarYear

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WorkdayResult:
    date: dt.date
    provisional: bool


class WorkCalendar:
    """Working-day arithmetic over the calendar tables. Loads each year once per instance (one query a year);
    make one instance per request or batch, not a long-lived one, so that administrators' edits are seen."""

    def __init__(self) -> None:
        self._years: dict[int, tuple[bool, dict[dt.date, bool]]] = {}

    def _year(self, year: int) -> tuple[bool, dict[dt.date, bool]]:
        if year not in self._years:
            published = CalendarYear.objects.filter(year=year, published=True).exists()
            days = dict(
                CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday") if published else []
            )
            self._years[year] = (published, days)
        return self._years[year]

    def is_workday(self, day: dt.date) -> bool:
        exceptions = self._year(day.year)[1]
        if day in exceptions:
            return exceptions[day]
        return day.weekday() < 5

    def is_provisional(self, day: dt.date) -> bool:
        return not self._year(day.year)[0]

    def add_workdays(self, start: dt.date, n: int) -> WorkdayResult:
        """The ``n``-th working day after ``start`` (``start`` itself not counted). With ``n == 0``: ``start``
        if it is a working day, else the next one."""
        if n < 0:
            raise ValueError("n must not be negative")
        day, provisional = start, self.is_provisional(start)
        if n == 0:
            while not self.is_workday(day):
                day += ONE_DAY
                provisional = provisional or self.is_provisional(day)
            return WorkdayResult(day, provisional)
        counted = 0
        while counted < n:
            day += ONE_DAY
            provisional = provisional or self.is_provisional(day)
            if self.is_workday(day):
                counted += 1
        return WorkdayResult(day, provisional)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open span (start, end]; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.workdays_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_workday(day):
                count += 1
        return count


def add_workdays(start: dt.date, n: int) -> WorkdayResult:
    return WorkCalendar().add_workdays(start, n)


def workdays_between(start: dt.date, end: dt.date) -> int:
    return WorkCalendar().workdays_between(start, end)


def is_workday(day: dt.date) -> bool:
    return WorkCalendar().is_workday(day)


@transaction.atomic
def seed_calendar_from_library(*, overwrite: bool = False) -> list[int]:
    """Load every year chinesecalendar knows into the tables; years already present are left alone (they may
    hold administrators' corrections) unless ``overwrite``. Returns the years written. Safe to run twice."""
    from chinese_calendar import constants

    by_year: dict[int, list[CalendarDay]] = {}
    for day, holiday in constants.holidays.items():
        if day.weekday() < 5:  # a weekend holiday is already a rest day
            name = HOLIDAY_NAMES.get(holiday, holiday)
            by_year.setdefault(day.year, []).append(CalendarDay(date=day, is_workday=False, name=name))
    for day, holiday in constants.workdays.items():
        if day.weekday() >= 5:
            name = HOLIDAY_NAMES.get(holiday, holiday) + "调休"
            by_year.setdefault(day.year, []).append(CalendarDay(date=day, is_workday=True, name=name))
    first, last = min(by_year), max(by_year)
    existing = set(CalendarYear.objects.values_list("year", flat=True))
    written = []
    for year in range(first, last + 1):
        if year in existing and not overwrite:
            continue
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(by_year.get(year, []))
        CalendarYear.objects.update_or_create(
            year=year, defaults={"published": True, "source": "国务院办公厅放假安排（chinesecalendar 数据）"}
        )
        written.append(year)
    return written
