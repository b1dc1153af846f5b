"""Ad-hoc closures (闭厅) of a location for a day: the day offers no slots any more, its booked
appointments are cancelled (their users told), its waitlist ends. Reopening offers the day's
slots again; cancelled appointments stay cancelled."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from booking.appointments import events, repository
from booking.appointments.models import Appointment, AppointmentStatus, CancelReason
from booking.errors import DayAlreadyClosed, LocationNotFound
from booking.locations import repository as locations
from booking.locations.models import ClosedDay, Location, ServiceType
from booking.seats import repository as seats
from booking.seats.repository import SeatKey
from booking.waitlist.service import Waitlist
from servicekit.auth import Actor, Role
from servicekit.calendar import CHINA_TZ
from servicekit.db import utcnow
from servicekit.errors import Message, NotFound, ValidationFailed
from servicekit.outbox import Outbox

MAX_REASON = 255


@dataclass(frozen=True)
class Closure:
    location: Location
    day: date
    reason: str
    cancelled: list[Appointment]


@dataclass
class Closures:
    waitlist: Waitlist
    outbox: Outbox
    clock: Callable[[], datetime] = field(default=utcnow)

    async def close(
        self, session: AsyncSession, actor: Actor, location_id: str, day: date, reason: str
    ) -> Closure:
        actor.require(Role.ADMIN)
        reason = reason.strip()
        if not 1 <= len(reason) <= MAX_REASON:
            raise ValidationFailed.single(
                "reason", f"请填写闭厅原因（不超过{MAX_REASON}字）", "give a reason (≤ 255)"
            )
        if day < self.clock().astimezone(CHINA_TZ).date():
            raise ValidationFailed.single("date", "不能关闭已过去的日期", "the day has passed")
        location = await self._location(session, location_id)
        closed = ClosedDay(location_id=location.id, day=day, reason=reason)
        if not await locations.add_closed_day(session, closed):
            raise DayAlreadyClosed()
        first = datetime.combine(day, datetime.min.time(), tzinfo=CHINA_TZ)
        affected = await repository.between(
            session,
            location.id,
            first,
            first + timedelta(days=1),
            booked_only=True,
            for_update=True,
        )
        now = self.clock()
        for appointment in affected:
            appointment.status = AppointmentStatus.CANCELLED
            appointment.cancel_reason = CancelReason.LOCATION_CLOSED
            appointment.cancel_note = reason
            appointment.updated_at = now
            kind = ServiceType(appointment.service_type)
            await seats.release(session, SeatKey(location.id, kind, appointment.starts_at))
            await self.outbox.record(
                session,
                events.CANCELLED,
                str(appointment.id),
                events.appointment_data(
                    appointment, location, reason=CancelReason.LOCATION_CLOSED.value, note=reason
                ),
            )
        await self.waitlist.close_day(session, location, day, reason)
        return Closure(location, day, reason, affected)

    async def reopen(
        self, session: AsyncSession, actor: Actor, location_id: str, day: date
    ) -> Location:
        actor.require(Role.ADMIN)
        location = await self._location(session, location_id)
        if not await locations.remove_closed_day(session, location.id, day):
            raise NotFound(Message("该日期未设为闭厅", "This day is not closed"))
        return location

    async def _location(self, session: AsyncSession, location_id: str) -> Location:
        try:
            key = uuid.UUID(location_id)
        except ValueError as exc:
            raise LocationNotFound() from exc
        location = await locations.get(session, key)
        if location is None:
            raise LocationNotFound()
        return location
