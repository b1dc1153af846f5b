"""Waitlist rules (DOMAIN.md §5): who may wait, who gets a released seat, and for how long.

- A person may join the waitlist of a day only when that day has no free seat for the service
  (offers holding a seat count as taken), and only without an active appointment for the
  service; one open entry per person and service type.
- A released seat (cancellation, reschedule, an expired or withdrawn offer) on a day that is
  still bookable goes to the longest-waiting entry of that day as an offer, held for
  `offer_hold_minutes` (never past the slot's start). The seat stays counted as taken meanwhile,
  so capacity holds throughout. With nobody waiting, the seat is freed.
- Accepting an OPEN, unexpired offer turns it into an appointment (same id). An offer that runs
  out is EXPIRED (the sweeper), its entry leaves the list, and the seat moves on.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from booking.appointments import events
from booking.appointments import repository as appointments
from booking.appointments.models import Appointment, AppointmentStatus
from booking.appointments.numbers import next_number
from booking.appointments.subjects import Subjects
from booking.errors import (
    AlreadyBooked,
    AlreadyWaiting,
    DayNotBookable,
    DayNotFull,
    OfferNotFound,
    OfferNotOpen,
    WaitlistEntryNotFound,
    service_not_offered,
)
from booking.locations import repository as locations
from booking.locations.models import Location, ServiceType
from booking.locations.service import bookable_location
from booking.seats import repository as seats
from booking.seats.repository import SeatKey
from booking.slots.schedule import ServiceSchedule
from booking.slots.service import Slots
from booking.waitlist import repository
from booking.waitlist.models import (
    OPEN_ENTRY_INDEX,
    EntryStatus,
    OfferStatus,
    WaitlistEntry,
    WaitlistOffer,
)
from booking.waitlist.schemas import WaitlistJoin
from servicekit.auth import Actor
from servicekit.calendar import CHINA_TZ
from servicekit.db import utcnow
from servicekit.errors import InvalidState, Message
from servicekit.outbox import Outbox


@dataclass
class Waitlist:
    slots: Slots
    subjects: Subjects
    outbox: Outbox
    hold: timedelta
    clock: Callable[[], datetime] = field(default=utcnow)

    async def join(self, session: AsyncSession, actor: Actor, form: WaitlistJoin) -> WaitlistEntry:
        location = await bookable_location(session, actor, form.location_id)
        schedule = ServiceSchedule.of(location, form.service_type)
        if schedule is None:
            raise service_not_offered()
        subject = await self.subjects.resolve(
            actor, form.service_type, form.foreign_person_id, form.application_id
        )
        day_slots = await self.slots.between(session, location, schedule, form.day, form.day)
        if not day_slots:
            raise DayNotBookable()
        if any(slot.remaining > 0 for slot in day_slots):
            raise DayNotFull()
        if await appointments.active_of_person(
            session, subject.foreign_person_id, form.service_type
        ):
            raise AlreadyBooked()
        entry = WaitlistEntry(
            id=uuid.uuid4(),
            location_id=location.id,
            service_type=form.service_type,
            day=form.day,
            status=EntryStatus.WAITING,
            foreign_person_id=subject.foreign_person_id,
            application_id=subject.application_id,
            enterprise_id=subject.enterprise_id,
            account_id=uuid.UUID(actor.account_id),
            person_name=subject.person_name,
            enterprise_name=subject.enterprise_name,
            created_at=self.clock(),
            updated_at=self.clock(),
        )
        session.add(entry)
        try:
            await session.flush()
        except IntegrityError as exc:
            if OPEN_ENTRY_INDEX in str(exc.orig):
                raise AlreadyWaiting() from exc
            raise
        return entry

    async def leave(self, session: AsyncSession, actor: Actor, entry_id: str) -> WaitlistEntry:
        enterprise = await self.subjects.enterprise_of(actor)
        entry = await repository.get_entry(session, _uuid(entry_id), for_update=True)
        if entry is None or entry.enterprise_id != enterprise.id:
            raise WaitlistEntryNotFound()
        if entry.status not in repository.OPEN_ENTRY:
            raise InvalidState(Message("候补登记已结束", "This waitlist entry has ended"))
        await self._end_entry(session, entry, "LEFT_WAITLIST", notify=False)
        return entry

    async def mine(self, session: AsyncSession, actor: Actor) -> list[WaitlistEntry]:
        enterprise = await self.subjects.enterprise_of(actor)
        return await repository.of_enterprise(session, enterprise.id)

    async def accept(self, session: AsyncSession, actor: Actor, offer_id: str) -> Appointment:
        enterprise = await self.subjects.enterprise_of(actor)
        offer = await repository.get_offer(session, _uuid(offer_id, OfferNotFound), for_update=True)
        entry = None if offer is None else await repository.get_entry(session, offer.entry_id)
        if offer is None or entry is None or entry.enterprise_id != enterprise.id:
            raise OfferNotFound()
        now = self.clock()
        if offer.status != OfferStatus.OPEN or offer.expires_at <= now:
            raise OfferNotOpen()
        location = await locations.get(session, offer.location_id)
        assert location is not None
        offer.status = OfferStatus.ACCEPTED
        entry.status = EntryStatus.BOOKED
        entry.updated_at = now
        appointment = Appointment(
            id=offer.id,
            number=await next_number(session, now.astimezone(CHINA_TZ).date()),
            location_id=offer.location_id,
            service_type=offer.service_type,
            starts_at=offer.starts_at,
            ends_at=offer.ends_at,
            status=AppointmentStatus.BOOKED,
            revision=1,
            foreign_person_id=entry.foreign_person_id,
            application_id=entry.application_id,
            enterprise_id=entry.enterprise_id,
            booked_by=uuid.UUID(actor.account_id),
            person_name=entry.person_name,
            enterprise_name=entry.enterprise_name,
            created_at=now,
            updated_at=now,
        )
        session.add(appointment)
        await appointments.flush_new(session)
        await self.outbox.record(
            session,
            events.BOOKED,
            str(appointment.id),
            events.appointment_data(appointment, location, viaWaitlist=True),
        )
        return appointment

    async def withdraw_for_person(
        self, session: AsyncSession, person_id: uuid.UUID, service_type: ServiceType
    ) -> None:
        """The person booked otherwise: their open entry ends; a seat held for it moves on."""
        entry = await repository.open_entry_of_person(session, person_id, service_type)
        if entry is not None:
            await self._end_entry(session, entry, "BOOKED_ELSEWHERE", notify=False)

    async def _end_entry(
        self, session: AsyncSession, entry: WaitlistEntry, reason: str, *, notify: bool
    ) -> None:
        """Ends an open entry; its held seat (if any) moves on. The holder acted (or booked)
        themselves, so `notify` is False for every caller today."""
        entry.status = EntryStatus.CANCELLED
        entry.updated_at = self.clock()
        offer = await repository.open_offer_of_entry(session, entry.id)
        if offer is None:
            return
        offer.status = OfferStatus.WITHDRAWN
        location = await locations.get(session, offer.location_id)
        assert location is not None
        data = events.offer_data(offer, entry, location, reason=reason)
        if not notify:
            data["accountIds"] = []
        await self.outbox.record(session, events.OFFER_WITHDRAWN, str(offer.id), data)
        await self.pass_on(session, _seat_of(offer), offer.ends_at, location)

    async def pass_on(
        self, session: AsyncSession, key: SeatKey, ends_at: datetime, location: Location
    ) -> WaitlistOffer | None:
        """A taken seat of `key` is free again: offer it to the first waiting entry of its day
        (the seat stays taken), or free it when nobody waits or the day is no longer bookable."""
        now = self.clock()
        day = key.starts_at.astimezone(CHINA_TZ).date()
        entry = None
        if await self._is_offerable(session, key, location, day, now):
            entry = await repository.first_waiting(session, key.location_id, key.service_type, day)
        if entry is None:
            await seats.release(session, key)
            return None
        offer = WaitlistOffer(
            id=uuid.uuid4(),
            entry_id=entry.id,
            location_id=key.location_id,
            service_type=key.service_type,
            starts_at=key.starts_at,
            ends_at=ends_at,
            status=OfferStatus.OPEN,
            expires_at=min(now + self.hold, key.starts_at),
        )
        entry.status = EntryStatus.OFFERED
        entry.updated_at = now
        session.add(offer)
        await session.flush()
        await self.outbox.record(
            session, events.OFFERED, str(offer.id), events.offer_data(offer, entry, location)
        )
        return offer

    async def _is_offerable(
        self, session: AsyncSession, key: SeatKey, location: Location, day: date, now: datetime
    ) -> bool:
        schedule = ServiceSchedule.of(location, key.service_type)
        if schedule is None or not location.is_active or key.starts_at <= now:
            return False
        first, last = schedule.window(now.astimezone(CHINA_TZ).date())
        if not first <= day <= last:
            return False
        return not await locations.closed_days(session, location.id, day, day)

    async def expire_due(self, session: AsyncSession, limit: int) -> int:
        """Offers whose hold ran out: expired, their entries leave the list, seats move on."""
        now = self.clock()
        due = await repository.due_offers(session, now, limit)
        for offer in due:
            offer.status = OfferStatus.EXPIRED
            entry = await repository.get_entry(session, offer.entry_id, for_update=True)
            assert entry is not None
            entry.status = EntryStatus.EXPIRED
            entry.updated_at = now
            location = await locations.get(session, offer.location_id)
            assert location is not None
            await self.outbox.record(
                session,
                events.OFFER_EXPIRED,
                str(offer.id),
                events.offer_data(offer, entry, location),
            )
            await self.pass_on(session, _seat_of(offer), offer.ends_at, location)
        return len(due)

    async def close_day(
        self, session: AsyncSession, location: Location, day: date, reason: str
    ) -> None:
        """The location closes that day: its entries end, held seats are freed (not passed on:
        the day has no slots any more), holders are told."""
        entries, offers = await repository.open_on_day(session, location.id, day)
        by_id = {entry.id: entry for entry in entries}
        now = self.clock()
        for entry in entries:
            entry.status = EntryStatus.CANCELLED
            entry.updated_at = now
        for offer in offers:
            offer.status = OfferStatus.WITHDRAWN
            await seats.release(session, _seat_of(offer))
            data = events.offer_data(
                offer, by_id[offer.entry_id], location, reason="LOCATION_CLOSED", note=reason
            )
            await self.outbox.record(session, events.OFFER_WITHDRAWN, str(offer.id), data)


def _seat_of(offer: WaitlistOffer) -> SeatKey:
    return SeatKey(offer.location_id, offer.service_type, offer.starts_at)


def _uuid(value: str, error: type[Exception] = WaitlistEntryNotFound) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise error() from exc
