"""Time limits in working days, stored as the end of the last working day in Beijing time.

A case decided at any time on its due date is on time: ``due_at`` is the last instant of that day (local), stored in
UTC like every timestamp.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone

from chuangye.core.workdays import WorkCalendar


def local_zone() -> dt.tzinfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def end_of_local_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=local_zone())


def due_after(start: dt.date, workdays: int, calendar: WorkCalendar | None = None) -> tuple[dt.datetime, bool]:
    """The due instant ``workdays`` working days after ``start`` (the start day itself not counted)."""
    result = (calendar or WorkCalendar()).add_workdays(start, workdays)
    return end_of_local_day(result.date), result.provisional


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, local_zone()).date()


def remaining_workdays(due_at: dt.datetime, today: dt.date, calendar: WorkCalendar | None = None) -> int:
    """Working days left after ``today`` up to the due date (0 when due today or already late)."""
    return max((calendar or WorkCalendar()).workdays_between(today, local_date(due_at)), 0)
