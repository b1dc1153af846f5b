from __future__ import annotations

from datetime import datetime, time
from typing import TypeAlias

import strawberry
from strawberry.types import Info

from booking.graphql.context import BookingContext
from booking.locations.models import Location as LocationModel
from booking.locations.models import LocationService as LocationServiceModel
from booking.locations.models import OpeningHours as OpeningHoursModel
from booking.locations.models import ServiceType as ServiceTypeEnum
from booking.slots.schemas import Slot as SlotModel

# Registers the domain enum in place as the GraphQL enum, so annotations can use it directly.
ServiceType: TypeAlias = ServiceTypeEnum
strawberry.enum(
    ServiceTypeEnum,
    name="ServiceType",
    description="EXIT_ENTRY: foreigner business at an exit-entry hall; "
    "LABOUR_PERMIT: labour service window",
)


@strawberry.type(description="One opening period of one service on one weekday, China time")
class OpeningHours:
    service_type: ServiceType
    weekday: int = strawberry.field(description="0 = Monday … 6 = Sunday")
    opens: time
    closes: time

    @classmethod
    def from_model(cls, model: OpeningHoursModel) -> OpeningHours:
        return cls(
            service_type=ServiceTypeEnum(model.service_type),
            weekday=model.weekday,
            opens=model.opens,
            closes=model.closes,
        )


@strawberry.type(description="How one service type is booked at a location")
class LocationService:
    service_type: ServiceType
    slot_minutes: int
    capacity_per_slot: int
    booking_window_days: int = strawberry.field(description="Bookable up to this many days ahead")
    booking_starts_days: int = strawberry.field(
        description="Bookable from this many days ahead (1 = tomorrow)"
    )
    cancel_deadline_hours: int = strawberry.field(
        description="An appointment can be cancelled until this many hours before it starts"
    )

    @classmethod
    def from_model(cls, model: LocationServiceModel) -> LocationService:
        return cls(
            service_type=ServiceTypeEnum(model.service_type),
            slot_minutes=model.slot_minutes,
            capacity_per_slot=model.capacity_per_slot,
            booking_window_days=model.booking_window_days,
            booking_starts_days=model.booking_starts_days,
            cancel_deadline_hours=model.cancel_deadline_hours,
        )


@strawberry.federation.type(keys=["id"], description="An exit-entry hall or labour service window")
class Location:
    id: strawberry.ID
    code: str
    name: str
    address: str
    district: str = strawberry.field(description="GB/T 2260 code, e.g. 370202")
    phone: str | None = strawberry.field(description="Enquiries; printed on appointment slips")
    is_active: bool
    service_types: list[ServiceType]
    services: list[LocationService]
    opening_hours: list[OpeningHours] = strawberry.field(
        description="Weekly hours; the location serves on working days only (public holidays "
        "closed, make-up workdays open) and not on its closed days"
    )

    @classmethod
    def from_model(cls, model: LocationModel) -> Location:
        return cls(
            id=strawberry.ID(str(model.id)),
            code=model.code,
            name=model.name,
            address=model.address,
            district=model.district,
            phone=model.phone,
            is_active=model.is_active,
            service_types=[ServiceTypeEnum(s.service_type) for s in model.services],
            services=[LocationService.from_model(s) for s in model.services],
            opening_hours=[OpeningHours.from_model(h) for h in model.opening_hours],
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info[BookingContext, None], id: strawberry.ID
    ) -> Location | None:
        await info.context.actor()
        model = await info.context.locations.load(str(id))
        return None if model is None else cls.from_model(model)


@strawberry.type(description="A bookable time slot of one service at one location")
class Slot:
    id: strawberry.ID = strawberry.field(description="Opaque and stable: names this slot")
    service_type: ServiceType
    starts_at: datetime
    ends_at: datetime
    capacity: int
    remaining: int = strawberry.field(description="Seats still free in this slot")

    @classmethod
    def from_model(cls, model: SlotModel) -> Slot:
        return cls(
            id=strawberry.ID(model.id),
            service_type=model.service_type,
            starts_at=model.starts_at,
            ends_at=model.ends_at,
            capacity=model.capacity,
            remaining=model.remaining,
        )
