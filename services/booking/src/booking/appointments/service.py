"""Appointment rules (DOMAIN.md §5).

- An enterprise user books for one foreign person of their enterprise (EXIT_ENTRY) or one passed
  employment application (LABOUR_PERMIT); one active appointment per person and service type.
- Capacity is enforced by the database (`seats.repository`), never by reading then writing.
- Cancel and reschedule are allowed until the location's cancellation deadline (hours before the
  start). A reschedule takes the new seat first and releases the old one in the same
  transaction: when the new slot is full nothing changes. Every released seat goes through the
  waitlist (offered to the first waiting entry of its day, or freed).
- Officers of the service mark an appointment attended or no-show once its slot has started.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from booking.appointments import events, repository
from booking.appointments.access import handles
from booking.appointments.models import Appointment, AppointmentStatus, CancelReason
from booking.appointments.numbers import next_number
from booking.appointments.schemas import BookingForm
from booking.appointments.slips import SlipPrinter, slip_data
from booking.appointments.subjects import Subjects
from booking.errors import (
    AlreadyBooked,
    AppointmentNotFound,
    LocationNotFound,
    NotBooked,
    NotOfficerOfService,
    PastCancellationDeadline,
    SlotFull,
    SlotNotStarted,
)
from booking.locations import repository as locations
from booking.locations.models import Location, ServiceType
from booking.seats import repository as seats
from booking.seats.repository import SeatKey
from booking.slots.schedule import ServiceSchedule
from booking.slots.service import Slots
from booking.waitlist.service import Waitlist
from servicekit.auth import Actor
from servicekit.calendar import CHINA_TZ
from servicekit.db import utcnow
from servicekit.errors import ValidationFailed
from servicekit.graphql import Page
from servicekit.outbox import Outbox


@dataclass
class Appointments:
    slots: Slots
    subjects: Subjects
    waitlist: Waitlist
    outbox: Outbox
    printer: SlipPrinter
    fallback_phone: str
    clock: Callable[[], datetime] = field(default=utcnow)

    async def book(self, session: AsyncSession, actor: Actor, form: BookingForm) -> Appointment:
        subject = await self.subjects.resolve(
            actor, form.service_type, form.foreign_person_id, form.application_id
        )
        target = await self.slots.bookable(session, form.slot_id, form.service_type)
        slot = target.slot
        if await repository.active_of_person(session, subject.foreign_person_id, slot.service_type):
            raise AlreadyBooked()
        if slot.remaining <= 0:
            raise SlotFull()  # seen as full already: no need to queue on the seat row
        # Before taking the seat: a seat the waitlist held for this person moves on.
        await self.waitlist.withdraw_for_person(
            session, subject.foreign_person_id, slot.service_type
        )
        if not await seats.take(session, _seat(slot), target.schedule.capacity_per_slot):
            raise SlotFull()
        now = self.clock()
        appointment = Appointment(
            id=uuid.uuid4(),
            location_id=slot.location_id,
            service_type=slot.service_type,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            status=AppointmentStatus.BOOKED,
            revision=1,
            foreign_person_id=subject.foreign_person_id,
            application_id=subject.application_id,
            enterprise_id=subject.enterprise_id,
            booked_by=uuid.UUID(actor.account_id),
            person_name=subject.person_name,
            enterprise_name=subject.enterprise_name,
            created_at=now,
            updated_at=now,
            # Last: the day's counter row stays locked until the commit.
            number=await next_number(session, now.astimezone(CHINA_TZ).date()),
        )
        session.add(appointment)
        await repository.flush_new(session)
        await self.outbox.record(
            session,
            events.BOOKED,
            str(appointment.id),
            events.appointment_data(appointment, target.location),
        )
        return appointment

    async def cancel(self, session: AsyncSession, actor: Actor, appointment_id: str) -> Appointment:
        appointment = await self._own(session, actor, appointment_id)
        location = await self._location(session, appointment.location_id)
        self._check_deadline(appointment, location)
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancel_reason = CancelReason.BY_USER
        appointment.updated_at = self.clock()
        await self.waitlist.pass_on(session, _seat(appointment), appointment.ends_at, location)
        await self.outbox.record(
            session,
            events.CANCELLED,
            str(appointment.id),
            events.appointment_data(appointment, location, reason=CancelReason.BY_USER.value),
        )
        return appointment

    async def reschedule(
        self, session: AsyncSession, actor: Actor, appointment_id: str, slot_id: str
    ) -> Appointment:
        appointment = await self._own(session, actor, appointment_id)
        old_location = await self._location(session, appointment.location_id)
        self._check_deadline(appointment, old_location)
        target = await self.slots.bookable(session, slot_id, ServiceType(appointment.service_type))
        old_seat, new_seat = _seat(appointment), _seat(target.slot)
        if old_seat == new_seat:
            raise ValidationFailed.single(
                "slotId", "新时段与原预约相同", "this is the appointment's current slot"
            )
        if target.slot.remaining <= 0:
            raise SlotFull()
        # Both seat rows locked in key order (no deadlock between two opposite reschedules);
        # the new seat is taken before the old one is given up.
        await seats.ensure(session, new_seat, target.schedule.capacity_per_slot)
        await seats.lock(session, [old_seat, new_seat])
        if not await seats.take(session, new_seat, target.schedule.capacity_per_slot):
            raise SlotFull()
        previous_starts_at, previous_ends_at = appointment.starts_at, appointment.ends_at
        appointment.location_id = target.location.id
        appointment.starts_at = target.slot.starts_at
        appointment.ends_at = target.slot.ends_at
        appointment.revision += 1
        appointment.updated_at = self.clock()
        await session.flush()
        await self.waitlist.pass_on(session, old_seat, previous_ends_at, old_location)
        await self.outbox.record(
            session,
            events.RESCHEDULED,
            str(appointment.id),
            events.appointment_data(
                appointment,
                target.location,
                previousLocationId=str(old_location.id),
                previousStartsAt=events.china_time(previous_starts_at),
            ),
        )
        return appointment

    async def get(self, session: AsyncSession, actor: Actor, appointment_id: str) -> Appointment:
        """An appointment of the caller's enterprise, or one an officer handles."""
        appointment = await repository.get(session, _uuid(appointment_id))
        if appointment is None:
            raise AppointmentNotFound()
        if actor.is_officer:
            location = await self._location(session, appointment.location_id)
            if not handles(actor, location, appointment.service_type):
                raise NotOfficerOfService()
            return appointment
        enterprise = await self.subjects.enterprise_of(actor)
        if appointment.enterprise_id != enterprise.id:
            raise AppointmentNotFound()
        return appointment

    async def mine(
        self, session: AsyncSession, actor: Actor, page: Page
    ) -> tuple[list[Appointment], int]:
        """The appointments of the caller's enterprise, newest first."""
        enterprise = await self.subjects.enterprise_of(actor)
        return await repository.of_enterprise(session, enterprise.id, page.offset, page.limit)

    async def of_day(
        self, session: AsyncSession, actor: Actor, location_id: str, day: date
    ) -> list[Appointment]:
        """A location's appointments of one day, of the services the officer handles there."""
        location = await locations.get(session, _uuid(location_id, LocationNotFound))
        if location is None:
            raise LocationNotFound()
        visible = [
            ServiceType(s.service_type)
            for s in location.services
            if handles(actor, location, s.service_type)
        ]
        if not visible:
            raise NotOfficerOfService()
        first = datetime.combine(day, datetime.min.time(), tzinfo=CHINA_TZ)
        return await repository.between(
            session, location.id, first, first + timedelta(days=1), visible
        )

    async def mark(
        self,
        session: AsyncSession,
        actor: Actor,
        appointment_id: str,
        status: AppointmentStatus,
    ) -> Appointment:
        """ATTENDED or NO_SHOW, by an officer of the service, once the slot has started."""
        appointment = await repository.get(session, _uuid(appointment_id), for_update=True)
        if appointment is None:
            raise AppointmentNotFound()
        location = await self._location(session, appointment.location_id)
        if not handles(actor, location, appointment.service_type):
            raise NotOfficerOfService()
        if not appointment.is_booked:
            raise NotBooked()
        if self.clock() < appointment.starts_at:
            raise SlotNotStarted()
        appointment.status = status
        appointment.handled_by = uuid.UUID(actor.account_id)
        appointment.updated_at = self.clock()
        event = events.ATTENDED if status == AppointmentStatus.ATTENDED else events.NO_SHOW
        await self.outbox.record(
            session,
            event,
            str(appointment.id),
            events.appointment_data(appointment, location, officerId=actor.account_id),
        )
        return appointment

    async def slip(self, session: AsyncSession, actor: Actor, appointment: Appointment) -> str:
        """The slip's document id; a cancelled appointment has none."""
        if appointment.status == AppointmentStatus.CANCELLED:
            raise NotBooked()
        location = await self._location(session, appointment.location_id)
        schedule = ServiceSchedule.of(location, ServiceType(appointment.service_type))
        hours = 0 if schedule is None else schedule.cancel_deadline_hours
        number = await self.subjects.document_number(appointment.foreign_person_id)
        data = slip_data(appointment, location, hours, self.fallback_phone, number)
        return await self.printer.render(appointment, data)

    def cancel_deadline(self, appointment: Appointment, location: Location) -> datetime:
        schedule = ServiceSchedule.of(location, ServiceType(appointment.service_type))
        hours = 0 if schedule is None else schedule.cancel_deadline_hours
        return appointment.starts_at - timedelta(hours=hours)

    def _check_deadline(self, appointment: Appointment, location: Location) -> None:
        if self.clock() > self.cancel_deadline(appointment, location):
            raise PastCancellationDeadline()

    async def _own(self, session: AsyncSession, actor: Actor, appointment_id: str) -> Appointment:
        """A BOOKED appointment of the caller's enterprise, locked for a change."""
        enterprise = await self.subjects.enterprise_of(actor)
        appointment = await repository.get(session, _uuid(appointment_id), for_update=True)
        if appointment is None or appointment.enterprise_id != enterprise.id:
            raise AppointmentNotFound()
        if not appointment.is_booked:
            raise NotBooked()
        return appointment

    async def _location(self, session: AsyncSession, location_id: uuid.UUID) -> Location:
        location = await locations.get(session, location_id)
        if location is None:
            raise LocationNotFound()
        return location


class _Seated(Protocol):
    @property
    def location_id(self) -> uuid.UUID: ...
    @property
    def service_type(self) -> ServiceType: ...
    @property
    def starts_at(self) -> datetime: ...


def _seat(item: _Seated) -> SeatKey:
    return SeatKey(item.location_id, ServiceType(item.service_type), item.starts_at)


def _uuid(value: str, error: type[Exception] = AppointmentNotFound) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise error() from exc
