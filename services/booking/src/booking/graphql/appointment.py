"""Appointment, waitlist and Document (a stub documents resolves) GraphQL types."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeAlias

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet
from strawberry.types import Info

from booking.appointments.models import Appointment as AppointmentModel
from booking.appointments.models import AppointmentStatus, CancelReason
from booking.graphql.context import BookingContext
from booking.graphql.types import Location, ServiceType, Slot
from booking.locations.models import ServiceType as ServiceTypeEnum
from booking.seats.repository import SeatKey
from booking.slots.ids import slot_id
from booking.waitlist.models import EntryStatus, OfferStatus
from booking.waitlist.models import WaitlistEntry as EntryModel
from booking.waitlist.models import WaitlistOffer as OfferModel
from servicekit.graphql import Connection

Ctx = Info[BookingContext, None]
# Registers the domain enums in place as GraphQL enums.
strawberry.enum(AppointmentStatus)
strawberry.enum(CancelReason, name="AppointmentCancelReason")
strawberry.enum(EntryStatus, name="WaitlistEntryStatus")
strawberry.enum(OfferStatus, name="WaitlistOfferStatus")


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
class Document:
    """A generated PDF; the documents service resolves its fields."""

    id: strawberry.ID


async def _slot(
    info: Ctx, location_id: object, service_type: str, starts_at: datetime, ends_at: datetime
) -> Slot:
    kind = ServiceTypeEnum(service_type)
    key = SeatKey(location_id, kind, starts_at)  # type: ignore[arg-type]
    seats = await info.context.seats.load(key)
    location = await info.context.locations.load(str(location_id))
    offer = None
    if location is not None:
        offer = next((s for s in location.services if s.service_type == kind), None)
    capacity = seats[0] if seats else (offer.capacity_per_slot if offer else 0)
    booked = seats[1] if seats else 0
    return Slot(
        id=strawberry.ID(slot_id(key.location_id, kind, starts_at)),
        service_type=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        remaining=max(0, capacity - booked),
    )


async def _location(info: Ctx, location_id: object) -> Location:
    model = await info.context.locations.load(str(location_id))
    assert model is not None  # appointments reference existing locations
    return Location.from_model(model)


@strawberry.type(description="A booked seat for one person at one location and time")
class Appointment:
    id: strawberry.ID
    number: str = strawberry.field(description="Booking number (预约号), e.g. YY2026120300042")
    status: AppointmentStatus
    service_type: ServiceType
    foreign_person_id: strawberry.ID
    application_id: strawberry.ID | None
    enterprise_id: strawberry.ID
    person_name: str
    enterprise_name: str
    revision: int = strawberry.field(description="+1 per reschedule; printed in the slip's QR")
    cancel_reason: CancelReason | None
    cancel_note: str | None = strawberry.field(description="Why the location closed that day")
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[AppointmentModel]

    @classmethod
    def from_model(cls, model: AppointmentModel) -> Appointment:
        return cls(
            id=strawberry.ID(str(model.id)),
            number=model.number,
            status=AppointmentStatus(model.status),
            service_type=ServiceTypeEnum(model.service_type),
            foreign_person_id=strawberry.ID(str(model.foreign_person_id)),
            application_id=None
            if model.application_id is None
            else strawberry.ID(str(model.application_id)),
            enterprise_id=strawberry.ID(str(model.enterprise_id)),
            person_name=model.person_name,
            enterprise_name=model.enterprise_name,
            revision=model.revision,
            cancel_reason=None
            if model.cancel_reason is None
            else CancelReason(model.cancel_reason),
            cancel_note=model.cancel_note,
            created_at=model.created_at,
            updated_at=model.updated_at,
            model=model,
        )

    @strawberry.field
    async def slot(self, info: Ctx) -> Slot:
        m = self.model
        return await _slot(info, m.location_id, m.service_type, m.starts_at, m.ends_at)

    @strawberry.field
    async def location(self, info: Ctx) -> Location:
        return await _location(info, self.model.location_id)

    @strawberry.field(description="Until when it can be cancelled or rescheduled")
    async def cancel_deadline(self, info: Ctx) -> datetime:
        model = await info.context.locations.load(str(self.model.location_id))
        assert model is not None
        return info.context.container.appointments.cancel_deadline(self.model, model)

    @strawberry.field(description="The appointment slip (预约单) PDF; not for a cancelled one")
    async def slip(self, info: Ctx) -> Document:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            document_id = await container.appointments.slip(session, actor, self.model)
        return Document(id=strawberry.ID(document_id))


AppointmentConnection: TypeAlias = Connection[Appointment]


@strawberry.type(description="A seat held for a waiting person until expiresAt")
class WaitlistOffer:
    id: strawberry.ID = strawberry.field(description="Also the id of the appointment it becomes")
    status: OfferStatus
    expires_at: datetime
    model: strawberry.Private[OfferModel]

    @strawberry.field
    async def slot(self, info: Ctx) -> Slot:
        m = self.model
        return await _slot(info, m.location_id, m.service_type, m.starts_at, m.ends_at)


@strawberry.type(description="A person waiting for a seat on a fully booked day")
class WaitlistEntry:
    id: strawberry.ID
    status: EntryStatus
    service_type: ServiceType
    date: date
    foreign_person_id: strawberry.ID
    application_id: strawberry.ID | None
    person_name: str
    created_at: datetime
    offer: WaitlistOffer | None = strawberry.field(description="The latest offer made to it")
    model: strawberry.Private[EntryModel]

    @classmethod
    def from_model(cls, model: EntryModel, offer: OfferModel | None) -> WaitlistEntry:
        return cls(
            id=strawberry.ID(str(model.id)),
            status=EntryStatus(model.status),
            service_type=ServiceTypeEnum(model.service_type),
            date=model.day,
            foreign_person_id=strawberry.ID(str(model.foreign_person_id)),
            application_id=None
            if model.application_id is None
            else strawberry.ID(str(model.application_id)),
            person_name=model.person_name,
            created_at=model.created_at,
            offer=None
            if offer is None
            else WaitlistOffer(
                id=strawberry.ID(str(offer.id)),
                status=OfferStatus(offer.status),
                expires_at=offer.expires_at,
                model=offer,
            ),
            model=model,
        )

    @strawberry.field
    async def location(self, info: Ctx) -> Location:
        return await _location(info, self.model.location_id)
