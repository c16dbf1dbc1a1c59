"""Equipment booking: the calendar, no double booking (also when two people book at once), cancellation."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client

from chuangye.accounts.testing import sign_in
from chuangye.core.errors import ConflictError, DomainError, FieldValueError
from chuangye.incubators.actions import booking_cancel, booking_create, equipment_add
from chuangye.incubators.models import Booking
from chuangye.incubators.testing import make_carrier, make_founder, make_operator

BEIJING = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING)


def at(hour: int, minute: int = 0, day: int = 3) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=BEIJING)


@pytest.fixture
def printer(ma_chao, base):
    return equipment_add(actor=ma_chao, carrier=base, data={"name": "3D打印机", "description": "光固化"})


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def book(user, equipment, start, end, purpose="打印样品"):
    return booking_create(actor=user, equipment=equipment, data={"start": start, "end": end, "purpose": purpose})


@pytest.mark.django_db
def test_overlapping_bookings_are_refused_and_adjacent_ones_accepted(li_xiaoyu, zhao_jianguo, printer):
    book(li_xiaoyu, printer, at(9), at(11))
    with pytest.raises(ConflictError, match="该时段已被预约"):
        book(zhao_jianguo, printer, at(10), at(12))
    with pytest.raises(ConflictError):
        book(zhao_jianguo, printer, at(8), at(13))  # covers the whole booking
    book(zhao_jianguo, printer, at(11), at(12))  # starts when the first one ends
    book(zhao_jianguo, printer, at(7), at(9))
    assert Booking.objects.filter(equipment=printer, status="active").count() == 3


@pytest.mark.django_db
def test_a_cancelled_slot_can_be_booked_again(li_xiaoyu, zhao_jianguo, printer):
    first = book(li_xiaoyu, printer, at(9), at(11))
    with pytest.raises(DomainError):
        booking_cancel(actor=zhao_jianguo, booking=first)  # not his booking, not his carrier
    booking_cancel(actor=li_xiaoyu, booking=first)
    with pytest.raises(ConflictError, match="已取消"):
        booking_cancel(actor=li_xiaoyu, booking=first)
    assert book(zhao_jianguo, printer, at(10), at(11)).status == "active"


@pytest.mark.django_db
def test_the_operator_may_cancel_a_booking_of_its_equipment(li_xiaoyu, ma_chao, printer):
    booking = book(li_xiaoyu, printer, at(9), at(11))
    assert booking_cancel(actor=ma_chao, booking=booking).status == "cancelled"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (at(11), at(9), "end"),
        (at(8, day=1), at(9, day=1), "start"),  # in the past
        (at(8), at(21), "end"),  # longer than 12 hours
        (at(8, day=2) + dt.timedelta(days=100), at(9, day=2) + dt.timedelta(days=100), "start"),
    ],
)
def test_bad_slots_name_the_field(li_xiaoyu, printer, start, end, field):
    with pytest.raises(FieldValueError) as error:
        book(li_xiaoyu, printer, start, end)
    assert error.value.field_name == field


@pytest.mark.django_db
def test_booking_and_cancelling_through_the_pages(li_xiaoyu, zhao_jianguo, printer):
    founder = sign_in(Client(), li_xiaoyu)
    response = founder.post(
        f"/incubators/equipment/{printer.pk}/",
        {"start": "2026-03-03T09:00", "end": "2026-03-03T11:00", "purpose": "打印样品"},
    )
    assert response.status_code == 302
    booking = Booking.objects.get(booked_by=li_xiaoyu)
    assert booking.start == at(9)
    other = sign_in(Client(), zhao_jianguo)
    clash = other.post(
        f"/incubators/equipment/{printer.pk}/",
        {"start": "2026-03-03T10:30", "end": "2026-03-03T12:00", "purpose": "打印外壳"},
    )
    assert clash.status_code == 409 and "该时段已被预约" in clash.content.decode()
    assert "已被预约" in other.get(f"/incubators/equipment/{printer.pk}/").content.decode()
    assert other.get(f"/incubators/bookings/{booking.pk}/").status_code == 404
    assert founder.post(f"/incubators/bookings/{booking.pk}/").status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_booking_the_same_slot_at_once_get_one_booking():
    operator = make_operator("machao2", "510107")
    carrier = make_carrier(operator, desks=0)
    printer = equipment_add(actor=operator, carrier=carrier, data={"name": "激光切割机"})
    people = [make_founder(n) for n in range(4)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def attempt(person):
        try:
            barrier.wait()
            book(person, printer, at(14), at(16))
            outcomes.append("booked")
        except ConflictError:
            outcomes.append("conflict")
        except Exception as error:  # a database-level refusal (SQLite busy) also keeps one booking
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1, outcomes
    assert Booking.objects.filter(equipment=printer, status="active").count() == 1
