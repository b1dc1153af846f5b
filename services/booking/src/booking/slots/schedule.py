"""Slot computation from a location's weekly hours and the calendar. Pure (no I/O), so every
calendar rule is unit-tested.

Rules:
- Bookable days run from `booking_starts_days` (1 = tomorrow) to `booking_window_days` days
  ahead, China time.
- A location serves on working days only (`WorkingCalendar`: public holidays are closed, 调休
  make-up workdays are open), minus its own closed days.
- A working day uses the opening periods of its weekday. A make-up workday on a weekend that has
  no periods of its own opens with the location's ordinary weekday hours (those of the first of
  Monday–Friday that has any), because offices work a make-up day as a normal working day.
- Each period is cut into back-to-back slots of `slot_minutes`; a remainder too short for a
  whole slot is not offered.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from booking.locations.models import Location, ServiceType
from booking.slots.schemas import Slot
from servicekit.calendar import CHINA_TZ, WorkingCalendar

SATURDAY = 5


@dataclass(frozen=True)
class Period:
    weekday: int  # 0 = Monday … 6 = Sunday
    opens: time
    closes: time


@dataclass(frozen=True)
class ServiceSchedule:
    """How one service is booked at one location."""

    location_id: uuid.UUID
    service_type: ServiceType
    slot_minutes: int
    capacity_per_slot: int
    booking_window_days: int
    periods: tuple[Period, ...]
    booking_starts_days: int = 1
    cancel_deadline_hours: int = 0

    @classmethod
    def of(cls, location: Location, service_type: ServiceType) -> ServiceSchedule | None:
        """The schedule of `service_type` at `location`, or None when it is not offered there.
        `location.services` and `location.opening_hours` must be loaded."""
        offer = next((s for s in location.services if s.service_type == service_type), None)
        if offer is None:
            return None
        periods = tuple(
            Period(h.weekday, h.opens, h.closes)
            for h in location.opening_hours
            if h.service_type == service_type
        )
        return cls(
            location_id=location.id,
            service_type=service_type,
            slot_minutes=offer.slot_minutes,
            capacity_per_slot=offer.capacity_per_slot,
            booking_window_days=offer.booking_window_days,
            periods=periods,
            booking_starts_days=offer.booking_starts_days,
            cancel_deadline_hours=offer.cancel_deadline_hours,
        )

    def window(self, today: date) -> tuple[date, date]:
        return booking_window(today, self.booking_window_days, self.booking_starts_days)


def booking_window(today: date, window_days: int, starts_days: int = 1) -> tuple[date, date]:
    """First and last bookable day: `starts_days` (1 = tomorrow) to `window_days` days ahead,
    both inclusive."""
    return today + timedelta(days=starts_days), today + timedelta(days=window_days)


def periods_on(
    schedule: ServiceSchedule, calendar: WorkingCalendar, day: date, closed: Collection[date]
) -> list[Period]:
    """The opening periods of `day`; empty when the location does not serve that day."""
    if day in closed or not calendar.is_working_day(day):
        return []
    own = [p for p in schedule.periods if p.weekday == day.weekday()]
    if own or day.weekday() < SATURDAY:
        return own
    return _ordinary_weekday_periods(schedule)


def _ordinary_weekday_periods(schedule: ServiceSchedule) -> list[Period]:
    for weekday in range(SATURDAY):
        periods = [p for p in schedule.periods if p.weekday == weekday]
        if periods:
            return periods
    return []


def slots_between(
    schedule: ServiceSchedule,
    calendar: WorkingCalendar,
    today: date,
    first: date,
    last: date,
    closed: Collection[date] = (),
) -> list[Slot]:
    """Every slot from `first` to `last` (inclusive) that lies inside the booking window, by
    start time. `remaining` is the full capacity: this function knows nothing of bookings."""
    window_first, window_last = schedule.window(today)
    step = timedelta(minutes=schedule.slot_minutes)
    starts: set[datetime] = set()  # overlapping periods must not offer a slot twice
    day = max(first, window_first)
    while day <= min(last, window_last):
        for period in periods_on(schedule, calendar, day, closed):
            start = datetime.combine(day, period.opens, tzinfo=CHINA_TZ)
            closes = datetime.combine(day, period.closes, tzinfo=CHINA_TZ)
            while start + step <= closes:
                starts.add(start)
                start += step
        day += timedelta(days=1)
    return [
        Slot(
            location_id=schedule.location_id,
            service_type=schedule.service_type,
            starts_at=start,
            ends_at=start + step,
            capacity=schedule.capacity_per_slot,
            remaining=schedule.capacity_per_slot,
        )
        for start in sorted(starts)
    ]
