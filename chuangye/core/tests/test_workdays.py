import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chuangye.core.models import CalendarDay, CalendarYear
from chuangye.core.workdays import (
    WorkCalendar,
    add_workdays,
    is_workday,
    seed_calendar_from_library,
    workdays_between,
)

pytestmark = pytest.mark.django_db

D = dt.date


def test_national_day_2026_and_its_make_up_saturday():
    # 2026: 1–7 October off; Sunday 20 September and Saturday 10 October are working days (国办发明电〔2025〕).
    assert not is_workday(D(2026, 10, 1))
    assert not is_workday(D(2026, 10, 7))
    assert is_workday(D(2026, 10, 10))
    assert is_workday(D(2026, 9, 20))
    # Three working days from 30 September: 8, 9 and the make-up Saturday 10 October.
    result = add_workdays(D(2026, 9, 30), 3)
    assert result.date == D(2026, 10, 10)
    assert result.provisional is False
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 10)) == 3


def test_ordinary_weekend_is_skipped():
    assert add_workdays(D(2026, 11, 27), 1).date == D(2026, 11, 30)  # Friday + 1 = Monday
    assert add_workdays(D(2026, 11, 28), 0).date == D(2026, 11, 30)  # Saturday, 0 days: next working day
    assert add_workdays(D(2026, 11, 26), 0).date == D(2026, 11, 26)


def test_year_without_published_calendar_is_provisional_not_an_error():
    assert not CalendarYear.objects.filter(year=2027).exists()
    result = add_workdays(D(2026, 12, 30), 3)
    assert result.date == D(2027, 1, 4)  # weekends only: 31 Dec, 1 Jan, 4 Jan
    assert result.provisional is True


def test_an_administrators_correction_is_used():
    CalendarYear.objects.create(year=2027, published=True, source="国办发明电〔2026〕测试")
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    result = add_workdays(D(2026, 12, 30), 3)
    assert result.date == D(2027, 1, 5)
    assert result.provisional is False


def test_seeding_twice_keeps_existing_years():
    CalendarDay.objects.filter(date=D(2026, 10, 10)).update(name="管理员修改")
    assert seed_calendar_from_library() == []
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).name == "管理员修改"
    assert 2026 in seed_calendar_from_library(overwrite=True)
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).name == "国庆节调休"


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_workdays(D(2026, 1, 1), -1)


days = st.dates(min_value=D(2019, 1, 1), max_value=D(2027, 6, 30))
counts = st.integers(min_value=0, max_value=40)


@given(start=days, n=counts)
def test_add_workdays_never_lands_on_a_rest_day(start, n):
    calendar = WorkCalendar()
    result = calendar.add_workdays(start, n)
    assert calendar.is_workday(result.date)
    assert result.date >= start
    if n > 0:
        assert calendar.workdays_between(start, result.date) == n


@given(start=days, n=counts, later_by=st.integers(min_value=0, max_value=30), more=st.integers(0, 10))
def test_add_workdays_is_monotonic(start, n, later_by, more):
    calendar = WorkCalendar()
    base = calendar.add_workdays(start, n).date
    assert calendar.add_workdays(start, n + more).date >= base
    assert calendar.add_workdays(start + dt.timedelta(days=later_by), n).date >= base
