"""Admins' location management: create/update locations, close and reopen days."""

from __future__ import annotations

from datetime import date, time

import strawberry
from strawberry.types import Info

from booking.graphql.appointment import Appointment
from booking.graphql.context import BookingContext
from booking.graphql.types import Location, ServiceType
from booking.locations.schemas import LocationForm, PeriodForm, ServiceForm

Ctx = Info[BookingContext, None]


@strawberry.input(description="One opening period; several a day make breaks (China time)")
class OpeningPeriodInput:
    weekday: int = strawberry.field(description="0 = Monday … 6 = Sunday")
    opens: time
    closes: time


@strawberry.input
class LocationServiceInput:
    service_type: ServiceType
    slot_minutes: int
    capacity_per_slot: int
    booking_window_days: int = strawberry.field(description="Bookable up to this many days ahead")
    cancel_deadline_hours: int = strawberry.field(
        description="Cancel or reschedule until this many hours before the start"
    )
    opening_hours: list[OpeningPeriodInput]
    booking_starts_days: int = strawberry.field(
        default=1, description="Bookable from this many days ahead (1 = tomorrow)"
    )


@strawberry.input
class LocationInput:
    code: str = strawberry.field(description="Short unique code, e.g. QD-SN-EXIT")
    name: str
    address: str
    district: str = strawberry.field(description="GB/T 2260 code, e.g. 370202")
    phone: str | None = strawberry.field(default=None, description="Printed on slips")
    is_active: bool = True
    services: list[LocationServiceInput]

    def to_form(self) -> LocationForm:
        return LocationForm(
            code=self.code,
            name=self.name,
            address=self.address,
            district=self.district,
            phone=self.phone,
            is_active=self.is_active,
            services=[
                ServiceForm(
                    service_type=s.service_type,
                    slot_minutes=s.slot_minutes,
                    capacity_per_slot=s.capacity_per_slot,
                    booking_window_days=s.booking_window_days,
                    booking_starts_days=s.booking_starts_days,
                    cancel_deadline_hours=s.cancel_deadline_hours,
                    opening_hours=[
                        PeriodForm(p.weekday, p.opens, p.closes) for p in s.opening_hours
                    ],
                )
                for s in self.services
            ],
        )


@strawberry.type(description="A closed day and the appointments its closure cancelled")
class ClosedDay:
    location: Location
    date: date
    reason: str
    cancelled_appointments: list[Appointment]


@strawberry.type
class LocationAdminMutation:
    @strawberry.mutation(description="Admins: a new location")
    async def create_location(self, info: Ctx, input: LocationInput) -> Location:
        actor = await info.context.actor()
        container = info.context.container
        location = await container.db.transaction(
            lambda session: container.admin.create(session, actor, input.to_form())
        )
        return Location.from_model(location)

    @strawberry.mutation(
        description="Admins: replaces a location's data, services and opening hours"
    )
    async def update_location(self, info: Ctx, id: strawberry.ID, input: LocationInput) -> Location:
        actor = await info.context.actor()
        container = info.context.container
        location = await container.db.transaction(
            lambda session: container.admin.update(session, actor, str(id), input.to_form())
        )
        return Location.from_model(location)

    @strawberry.mutation(
        description="Admins: closes a location for a day (public holidays need no entry); its "
        "booked appointments are cancelled and their users told"
    )
    async def close_location_day(
        self,
        info: Ctx,
        location_id: strawberry.ID,
        date: date,
        reason: str,
    ) -> ClosedDay:
        actor = await info.context.actor()
        container = info.context.container
        closure = await container.db.transaction(
            lambda session: container.closures.close(session, actor, str(location_id), date, reason)
        )
        return ClosedDay(
            location=Location.from_model(closure.location),
            date=closure.day,
            reason=closure.reason,
            cancelled_appointments=[Appointment.from_model(a) for a in closure.cancelled],
        )

    @strawberry.mutation(description="Admins: opens an ad-hoc closed day again")
    async def reopen_location_day(
        self, info: Ctx, location_id: strawberry.ID, date: date
    ) -> Location:
        actor = await info.context.actor()
        container = info.context.container
        location = await container.db.transaction(
            lambda session: container.closures.reopen(session, actor, str(location_id), date)
        )
        return Location.from_model(location)
