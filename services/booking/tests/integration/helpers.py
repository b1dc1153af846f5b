"""Arranging data that has no API yet, and finding seeded locations."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

import httpx

from booking.locations.models import (
    ClosedDay,
    Location,
    LocationService,
    OpeningHours,
    ServiceType,
)
from devstack.testing import graphql
from servicekit.calendar import CHINA_TZ
from servicekit.db import Database, utcnow

LOCATIONS = """query($type: ServiceType) {
  bookingLocations(serviceType: $type) {
    id code name address district serviceTypes
    services { serviceType slotMinutes capacityPerSlot bookingWindowDays cancelDeadlineHours }
    openingHours { serviceType weekday opens closes }
  } }"""

SLOTS = """query($location: ID!, $type: ServiceType!, $from: Date!, $to: Date!) {
  availableSlots(locationId: $location, serviceType: $type, from: $from, to: $to) {
    id serviceType startsAt endsAt capacity remaining } }"""


def china_today() -> date:
    return utcnow().astimezone(CHINA_TZ).date()


def local_start(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(CHINA_TZ)


async def location_id(client: httpx.AsyncClient, token: str, code: str) -> str:
    body = await graphql(client, LOCATIONS, {}, token=token)
    return next(str(row["id"]) for row in body["data"]["bookingLocations"] if row["code"] == code)


async def add_location(
    db: Database,
    *,
    is_active: bool = True,
    every_day: bool = False,
    closed: list[date] | None = None,
) -> uuid.UUID:
    """An exit-entry location open 09:00–11:00 Monday–Friday (or every day), 2 seats a slot."""
    location = uuid.uuid4()
    weekdays = range(7) if every_day else range(5)
    async with db.unit_of_work() as session:
        session.add(
            Location(
                id=location,
                code=f"T-{location.hex[:12]}",
                name="测试大厅",
                address="青岛市市南区测试路1号",
                district="370202",
                is_active=is_active,
            )
        )
        session.add(
            LocationService(
                location_id=location,
                service_type=ServiceType.EXIT_ENTRY,
                slot_minutes=30,
                capacity_per_slot=2,
                booking_window_days=14,
                cancel_deadline_hours=24,
            )
        )
        await session.flush()
        session.add_all(
            OpeningHours(
                location_id=location,
                service_type=ServiceType.EXIT_ENTRY,
                weekday=w,
                opens=time(9),
                closes=time(11),
            )
            for w in weekdays
        )
        session.add_all(
            ClosedDay(location_id=location, day=day, reason="系统维护") for day in closed or []
        )
    return location
