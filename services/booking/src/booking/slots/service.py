"""Slot rules: which slots a user can choose from, and how many seats each has left."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from booking.errors import service_not_offered, slot_not_bookable
from booking.locations import repository as locations
from booking.locations.models import Location, ServiceType
from booking.locations.service import bookable_location
from booking.seats import repository as seats
from booking.slots.ids import parse_slot_id
from booking.slots.schedule import ServiceSchedule, slots_between
from booking.slots.schemas import Slot, SlotQuery
from servicekit.auth import Actor
from servicekit.calendar import CHINA_TZ, WorkingCalendar
from servicekit.db import utcnow
from servicekit.errors import FieldErrors

# Longest range one query may ask for, both ends included: a calendar month view.
MAX_RANGE_DAYS = 31


@dataclass(frozen=True)
class BookableSlot:
    """A slot that can be booked now, with the location and schedule it was computed from."""

    location: Location
    schedule: ServiceSchedule
    slot: Slot


@dataclass
class Slots:
    calendar: WorkingCalendar
    clock: Callable[[], datetime] = field(default=utcnow)

    def today(self) -> date:
        return self.clock().astimezone(CHINA_TZ).date()

    async def available(self, session: AsyncSession, actor: Actor, query: SlotQuery) -> list[Slot]:
        """Slots of one service at one location between two dates, inside the booking window,
        with the seats still free (taken seats include waitlist offers holding one)."""
        self._check_range(query)
        location = await bookable_location(session, actor, query.location_id)
        schedule = ServiceSchedule.of(location, query.service_type)
        if schedule is None:
            raise service_not_offered()
        return await self.between(session, location, schedule, query.first, query.last)

    async def between(
        self,
        session: AsyncSession,
        location: Location,
        schedule: ServiceSchedule,
        first: date,
        last: date,
    ) -> list[Slot]:
        today = self.today()
        window_first, window_last = schedule.window(today)
        first, last = max(first, window_first), min(last, window_last)
        if first > last:
            return []
        closed = {c.day for c in await locations.closed_days(session, location.id, first, last)}
        computed = slots_between(schedule, self.calendar, today, first, last, closed)
        if not computed:
            return []
        taken = await seats.taken(
            session,
            location.id,
            schedule.service_type,
            computed[0].starts_at,
            computed[-1].starts_at,
        )
        return [_with_seats(slot, taken.get(slot.starts_at)) for slot in computed]

    async def bookable(
        self,
        session: AsyncSession,
        slot_id: str,
        service_type: ServiceType | None = None,
        path: str = "slotId",
    ) -> BookableSlot:
        """The slot a client names, if it can be booked now: an active location offering the
        service, inside the booking window, in opening hours, not on a closed day."""
        key = parse_slot_id(slot_id, path)
        if service_type is not None and key.service_type != service_type:
            errors = FieldErrors()
            errors.add("serviceType", "与所选时段的业务不一致", "does not match the slot's service")
            errors.raise_if_any()
        location = await locations.get(session, key.location_id)
        if location is None or not location.is_active:
            raise slot_not_bookable(path)
        schedule = ServiceSchedule.of(location, key.service_type)
        if schedule is None:
            raise slot_not_bookable(path)
        day = key.starts_at.astimezone(CHINA_TZ).date()
        for slot in await self.between(session, location, schedule, day, day):
            if slot.starts_at == key.starts_at:
                return BookableSlot(location, schedule, slot)
        raise slot_not_bookable(path)

    def _check_range(self, query: SlotQuery) -> None:
        errors = FieldErrors()
        if query.first > query.last:
            errors.add("to", "结束日期不能早于开始日期", "must not be before `from`")
        elif (query.last - query.first).days + 1 > MAX_RANGE_DAYS:
            days = MAX_RANGE_DAYS
            errors.add("to", f"查询范围不能超过{days}天", f"the range must not exceed {days} days")
        errors.raise_if_any()


def _with_seats(slot: Slot, seat_row: tuple[int, int] | None) -> Slot:
    if seat_row is None:
        return slot
    capacity, booked = seat_row
    return replace(slot, capacity=capacity, remaining=max(0, capacity - booked))
