"""Booking subgraph. Resolvers translate and call the service layer; no rules here."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from booking.appointments.models import AppointmentStatus
from booking.appointments.schemas import BookingForm
from booking.graphql.admin import LocationAdminMutation
from booking.graphql.appointment import Appointment, AppointmentConnection, WaitlistEntry
from booking.graphql.context import BookingContext
from booking.graphql.types import Location, ServiceType, Slot
from booking.locations.service import bookable_locations
from booking.slots.schemas import SlotQuery
from booking.slots.service import MAX_RANGE_DAYS
from booking.waitlist import repository as waitlist_repository
from booking.waitlist.schemas import WaitlistJoin
from servicekit.graphql import SubgraphSchema, connection_of, page_of

Ctx = Info[BookingContext, None]


@strawberry.input
class BookAppointmentInput:
    slot_id: strawberry.ID
    service_type: ServiceType
    foreign_person_id: strawberry.ID | None = strawberry.field(
        default=None, description="EXIT_ENTRY: the foreign person"
    )
    application_id: strawberry.ID | None = strawberry.field(
        default=None, description="LABOUR_PERMIT: the employment application that passed pre-review"
    )


@strawberry.input
class JoinWaitlistInput:
    location_id: strawberry.ID
    service_type: ServiceType
    date: date
    foreign_person_id: strawberry.ID | None = None
    application_id: strawberry.ID | None = None


def _optional(value: strawberry.ID | None) -> str | None:
    return None if value is None else str(value)


@strawberry.type
class Query:
    @strawberry.field(description="Active locations, optionally only those offering a service")
    async def booking_locations(
        self, info: Ctx, service_type: ServiceType | None = None
    ) -> list[Location]:
        actor = await info.context.actor()
        async with info.context.container.db.unit_of_work() as session:
            rows = await bookable_locations(session, actor, service_type)
        return [Location.from_model(row) for row in rows]

    @strawberry.field(
        description="Slots of a service at a location between two dates (inclusive, at most "
        f"{MAX_RANGE_DAYS} days), limited to the booking window, with the seats left"
    )
    async def available_slots(
        self,
        info: Ctx,
        location_id: strawberry.ID,
        service_type: ServiceType,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> list[Slot]:
        actor = await info.context.actor()
        container = info.context.container
        query = SlotQuery(
            location_id=str(location_id), service_type=service_type, first=from_, last=to
        )
        async with container.db.unit_of_work() as session:
            slots = await container.slots.available(session, actor, query)
        return [Slot.from_model(slot) for slot in slots]

    @strawberry.field(description="Appointments of the caller's enterprise, newest first")
    async def my_appointments(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> AppointmentConnection:
        actor = await info.context.actor()
        page = page_of(first, after)
        container = info.context.container
        async with container.db.unit_of_work() as session:
            rows, total = await container.appointments.mine(session, actor, page)
        return connection_of(rows, page, total, Appointment.from_model)

    @strawberry.field(description="One appointment of the caller's enterprise, or for officers")
    async def appointment(self, info: Ctx, id: strawberry.ID) -> Appointment:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            row = await container.appointments.get(session, actor, str(id))
        return Appointment.from_model(row)

    @strawberry.field(
        description="Officers: a location's appointments of one day (every status), by time"
    )
    async def appointments_of_day(
        self, info: Ctx, location_id: strawberry.ID, date: date
    ) -> list[Appointment]:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            rows = await container.appointments.of_day(session, actor, str(location_id), date)
        return [Appointment.from_model(row) for row in rows]

    @strawberry.field(description="Waitlist entries of the caller's enterprise, newest first")
    async def my_waitlist(self, info: Ctx) -> list[WaitlistEntry]:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            entries = await container.waitlist.mine(session, actor)
            offers = await waitlist_repository.offers_of_entries(session, [e.id for e in entries])
        return [WaitlistEntry.from_model(e, offers.get(e.id)) for e in entries]


@strawberry.type
class Mutation(LocationAdminMutation):
    @strawberry.mutation(
        description="Books a seat for a foreign person (EXIT_ENTRY) or a passed application "
        "(LABOUR_PERMIT) of the caller's enterprise; a full slot is CONFLICT"
    )
    async def book_appointment(self, info: Ctx, input: BookAppointmentInput) -> Appointment:
        actor = await info.context.actor()
        form = BookingForm(
            slot_id=str(input.slot_id),
            service_type=input.service_type,
            foreign_person_id=_optional(input.foreign_person_id),
            application_id=_optional(input.application_id),
        )
        container = info.context.container
        row = await container.db.transaction(
            lambda session: container.appointments.book(session, actor, form)
        )
        return Appointment.from_model(row)

    @strawberry.mutation(description="Cancels until the location's cancellation deadline")
    async def cancel_appointment(self, info: Ctx, id: strawberry.ID) -> Appointment:
        actor = await info.context.actor()
        container = info.context.container
        row = await container.db.transaction(
            lambda session: container.appointments.cancel(session, actor, str(id))
        )
        return Appointment.from_model(row)

    @strawberry.mutation(
        description="Moves to another slot until the cancellation deadline; when the new slot "
        "is full (CONFLICT) the appointment stays as it was"
    )
    async def reschedule_appointment(
        self, info: Ctx, id: strawberry.ID, slot_id: strawberry.ID
    ) -> Appointment:
        actor = await info.context.actor()
        container = info.context.container
        row = await container.db.transaction(
            lambda session: container.appointments.reschedule(session, actor, str(id), str(slot_id))
        )
        return Appointment.from_model(row)

    @strawberry.mutation(description="Officers: the person came (after the slot started)")
    async def mark_attended(self, info: Ctx, id: strawberry.ID) -> Appointment:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            row = await container.appointments.mark(
                session, actor, str(id), AppointmentStatus.ATTENDED
            )
        return Appointment.from_model(row)

    @strawberry.mutation(description="Officers: the person did not come (after the slot started)")
    async def mark_no_show(self, info: Ctx, id: strawberry.ID) -> Appointment:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            row = await container.appointments.mark(
                session, actor, str(id), AppointmentStatus.NO_SHOW
            )
        return Appointment.from_model(row)

    @strawberry.mutation(
        description="Waits for a seat on a day with no free seat; a released seat is offered "
        "to the longest-waiting entry and held for a while"
    )
    async def join_waitlist(self, info: Ctx, input: JoinWaitlistInput) -> WaitlistEntry:
        actor = await info.context.actor()
        form = WaitlistJoin(
            location_id=str(input.location_id),
            service_type=input.service_type,
            day=input.date,
            foreign_person_id=_optional(input.foreign_person_id),
            application_id=_optional(input.application_id),
        )
        container = info.context.container
        entry = await container.db.transaction(
            lambda session: container.waitlist.join(session, actor, form)
        )
        return WaitlistEntry.from_model(entry, None)

    @strawberry.mutation(description="Leaves the waitlist (a held seat moves on)")
    async def leave_waitlist(self, info: Ctx, id: strawberry.ID) -> WaitlistEntry:
        actor = await info.context.actor()
        container = info.context.container

        async def leave(session: AsyncSession) -> WaitlistEntry:
            entry = await container.waitlist.leave(session, actor, str(id))
            offers = await waitlist_repository.offers_of_entries(session, [entry.id])
            return WaitlistEntry.from_model(entry, offers.get(entry.id))

        return await container.db.transaction(leave)

    @strawberry.mutation(description="Turns an open waitlist offer into an appointment")
    async def accept_waitlist_offer(self, info: Ctx, offer_id: strawberry.ID) -> Appointment:
        actor = await info.context.actor()
        container = info.context.container
        row = await container.db.transaction(
            lambda session: container.waitlist.accept(session, actor, str(offer_id))
        )
        return Appointment.from_model(row)


def build_schema(*, dev: bool) -> SubgraphSchema:
    return SubgraphSchema(query=Query, mutation=Mutation, types=[Location])
