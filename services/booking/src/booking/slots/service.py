"""Slot rules: which slots a user can choose from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from booking.errors import service_not_offered
from booking.locations import repository as locations
from booking.locations.service import bookable_location
from booking.slots.schedule import ServiceSchedule, booking_window, slots_between
from booking.slots.schemas import Slot, SlotQuery
from servicekit.auth import Actor
from servicekit.calendar import CHINA_TZ, WorkingCalendar
from servicekit.db import utcnow
from servicekit.errors import FieldErrors

# Longest range one query may ask for, both ends included: a calendar month view.
MAX_RANGE_DAYS = 31


@dataclass
class Slots:
    calendar: WorkingCalendar
    clock: Callable[[], datetime] = field(default=utcnow)

    async def available(self, session: AsyncSession, actor: Actor, query: SlotQuery) -> list[Slot]:
        """Slots of one service at one location between two dates, inside the booking window.

        No appointments exist yet, so `remaining` is the full capacity of every slot and no slot
        is ever full. Appointment booking (a later issue) subtracts the booked seats here.
        """
        self._check_range(query)
        location = await bookable_location(session, actor, query.location_id)
        schedule = ServiceSchedule.of(location, query.service_type)
        if schedule is None:
            raise service_not_offered()
        today = self.clock().astimezone(CHINA_TZ).date()
        window_first, window_last = booking_window(today, schedule.booking_window_days)
        first, last = max(query.first, window_first), min(query.last, window_last)
        if first > last:
            return []
        closed = {c.day for c in await locations.closed_days(session, location.id, first, last)}
        return slots_between(schedule, self.calendar, today, first, last, closed)

    def _check_range(self, query: SlotQuery) -> None:
        errors = FieldErrors()
        if query.first > query.last:
            errors.add("to", "结束日期不能早于开始日期", "must not be before `from`")
        elif (query.last - query.first).days + 1 > MAX_RANGE_DAYS:
            days = MAX_RANGE_DAYS
            errors.add("to", f"查询范围不能超过{days}天", f"the range must not exceed {days} days")
        errors.raise_if_any()
