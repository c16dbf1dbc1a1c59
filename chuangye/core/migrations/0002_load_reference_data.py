"""Data: the current division list and the published holiday calendars (schema is in 0001)."""

from django.db import migrations


def load(apps, schema_editor):
    from chuangye.core.regions import load_regions
    from chuangye.core.workdays import HOLIDAY_NAMES

    load_regions(apps.get_model("core", "Region"))
    _load_calendar(apps, HOLIDAY_NAMES)


def _load_calendar(apps, names):
    # A copy of workdays.seed_calendar_from_library for historical models: migrations must not use live models.
    from chinese_calendar import constants

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    days = [
        CalendarDay(date=d, is_workday=False, name=names.get(h, h))
        for d, h in constants.holidays.items()
        if d.weekday() < 5
    ] + [
        CalendarDay(date=d, is_workday=True, name=names.get(h, h) + "调休")
        for d, h in constants.workdays.items()
        if d.weekday() >= 5
    ]
    CalendarDay.objects.bulk_create(days, ignore_conflicts=True)
    years = range(min(constants.holidays).year, max(constants.holidays).year + 1)
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, published=True, source="国务院办公厅放假安排（chinesecalendar 数据）") for y in years],
        ignore_conflicts=True,
    )


def unload(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.all().delete()
    apps.get_model("core", "CalendarYear").objects.all().delete()
    apps.get_model("core", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
