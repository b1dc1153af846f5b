"""Slot computation rules (no I/O): working days, holidays, 调休, closed days, window."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

import pytest

from booking.locations.models import Location, LocationService, OpeningHours, ServiceType
from booking.slots.schedule import Period, ServiceSchedule, slots_between
from booking.slots.schemas import Slot
from servicekit.calendar import CHINA_TZ, WorkingCalendar

CALENDAR = WorkingCalendar()
LOCATION = uuid.UUID("6f1c2a36-8d6e-4a55-9a53-1b7a0c0e2f10")
WORKING_DAY = [(time(9, 0), time(12, 0)), (time(13, 30), time(17, 0))]


def schedule(
    *, periods: list[Period] | None = None, window_days: int = 14, slot_minutes: int = 30
) -> ServiceSchedule:
    if periods is None:
        periods = [Period(w, o, c) for w in range(5) for o, c in WORKING_DAY]
    return ServiceSchedule(
        location_id=LOCATION,
        service_type=ServiceType.EXIT_ENTRY,
        slot_minutes=slot_minutes,
        capacity_per_slot=4,
        booking_window_days=window_days,
        periods=tuple(periods),
    )


def slots_on(
    day: date, plan: ServiceSchedule | None = None, closed: frozenset[date] = frozenset()
) -> list[Slot]:
    plan = plan or schedule()
    return slots_between(plan, CALENDAR, day - timedelta(days=1), day, day, closed)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CHINA_TZ)


def test_working_weekday_has_half_hour_slots_around_the_lunch_break() -> None:
    day = date(2026, 1, 6)  # Tuesday
    slots = slots_on(day)
    starts = [slot.starts_at for slot in slots]
    assert len(slots) == 13  # 6 in the morning, 7 in the afternoon
    assert starts[0] == local(day, 9)
    assert starts[5] == local(day, 11, 30)
    assert starts[6] == local(day, 13, 30)
    assert starts[-1] == local(day, 16, 30)
    assert all(s.ends_at - s.starts_at == timedelta(minutes=30) for s in slots)
    assert all(s.starts_at.utcoffset() == timedelta(hours=8) for s in slots)


@pytest.mark.parametrize("day", [date(2026, 1, 10), date(2026, 1, 11)])
def test_ordinary_weekend_has_no_slots(day: date) -> None:
    assert slots_on(day) == []


@pytest.mark.parametrize("day", [date(2026, 10, 1), date(2026, 10, 2), date(2026, 1, 2)])
def test_public_holiday_on_a_weekday_has_no_slots(day: date) -> None:
    assert day.weekday() < 5
    assert slots_on(day) == []


@pytest.mark.parametrize("day", [date(2026, 1, 4), date(2026, 10, 10)])
def test_make_up_workday_on_a_weekend_opens_with_weekday_hours(day: date) -> None:
    assert day.weekday() >= 5
    starts = [slot.starts_at for slot in slots_on(day)]
    assert len(starts) == 13
    assert starts[0] == local(day, 9)
    assert starts[-1] == local(day, 16, 30)


def test_make_up_saturday_uses_saturday_hours_when_the_location_has_them() -> None:
    plan = schedule(periods=[Period(0, time(9), time(17)), Period(5, time(9), time(11))])
    starts = [slot.starts_at for slot in slots_on(date(2026, 10, 10), plan)]
    assert starts == [
        local(date(2026, 10, 10), 9),
        local(date(2026, 10, 10), 9, 30),
        local(date(2026, 10, 10), 10),
        local(date(2026, 10, 10), 10, 30),
    ]


def test_weekend_hours_do_not_open_a_weekend_that_is_not_a_working_day() -> None:
    plan = schedule(periods=[Period(5, time(9), time(11))])
    assert slots_on(date(2026, 1, 10), plan) == []  # an ordinary Saturday
    assert slots_on(date(2026, 10, 3), plan) == []  # a Saturday inside the National Day holiday


def test_closed_day_has_no_slots_and_the_next_day_is_unaffected() -> None:
    closed = frozenset({date(2026, 1, 6)})
    plan = schedule()
    both = slots_between(
        plan, CALENDAR, date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 7), closed
    )
    assert {slot.starts_at.date() for slot in both} == {date(2026, 1, 7)}


def test_window_runs_from_tomorrow_to_booking_window_days_ahead() -> None:
    today = date(2026, 1, 5)  # Monday; today + 14 = Monday 2026-01-19
    slots = slots_between(
        schedule(window_days=14), CALENDAR, today, date(2026, 1, 1), date(2026, 1, 31)
    )
    days = sorted({slot.starts_at.date() for slot in slots})
    assert days[0] == date(2026, 1, 6)
    assert days[-1] == date(2026, 1, 19)
    assert days == [
        d for d in (today + timedelta(days=n) for n in range(1, 15)) if CALENDAR.is_working_day(d)
    ]


def test_today_is_never_bookable() -> None:
    today = date(2026, 1, 6)
    assert slots_between(schedule(), CALENDAR, today, today, today) == []


def test_remainder_shorter_than_a_slot_is_not_offered() -> None:
    plan = schedule(periods=[Period(1, time(9), time(10, 45))])
    slots = slots_on(date(2026, 1, 6), plan)
    assert [s.starts_at.time() for s in slots] == [time(9), time(9, 30), time(10)]
    assert slots[-1].ends_at.time() == time(10, 30)


def test_remaining_is_the_full_capacity_while_no_appointments_exist() -> None:
    slots = slots_on(date(2026, 1, 6))
    assert {(s.capacity, s.remaining) for s in slots} == {(4, 4)}


def test_schedule_of_a_location_holds_only_the_hours_of_that_service() -> None:
    location = Location(
        id=LOCATION,
        code="T",
        name="T",
        address="T",
        district="370202",
        services=[
            LocationService(
                location_id=LOCATION,
                service_type=ServiceType.EXIT_ENTRY,
                slot_minutes=20,
                capacity_per_slot=2,
                booking_window_days=7,
                cancel_deadline_hours=24,
            )
        ],
        opening_hours=[
            OpeningHours(
                location_id=LOCATION,
                service_type=ServiceType.EXIT_ENTRY,
                weekday=0,
                opens=time(9),
                closes=time(12),
            ),
            OpeningHours(
                location_id=LOCATION,
                service_type=ServiceType.LABOUR_PERMIT,
                weekday=1,
                opens=time(9),
                closes=time(12),
            ),
        ],
    )
    plan = ServiceSchedule.of(location, ServiceType.EXIT_ENTRY)
    assert plan is not None
    assert plan.periods == (Period(0, time(9), time(12)),)
    assert (plan.slot_minutes, plan.capacity_per_slot, plan.booking_window_days) == (20, 2, 7)
    assert ServiceSchedule.of(location, ServiceType.LABOUR_PERMIT) is None
