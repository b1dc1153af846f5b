"""Booking subgraph. Resolvers translate and call the service layer; no rules here."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from booking.graphql.context import BookingContext
from booking.graphql.types import Location, ServiceType, Slot
from booking.locations.service import bookable_locations
from booking.slots.schemas import SlotQuery
from booking.slots.service import MAX_RANGE_DAYS
from servicekit.graphql import SubgraphSchema

Ctx = Info[BookingContext, None]


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
        f"{MAX_RANGE_DAYS} days), limited to the booking window (from tomorrow to N days ahead)"
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


def build_schema(*, dev: bool) -> SubgraphSchema:
    return SubgraphSchema(query=Query, types=[Location])
