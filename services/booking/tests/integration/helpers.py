"""Arranging data that has no API yet, and finding seeded locations."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

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
    capacity: int = 2,
    cancel_hours: int = 24,
    window_days: int = 14,
    closes: time = time(11),
    service_type: ServiceType = ServiceType.EXIT_ENTRY,
    district: str = "370202",
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
                district=district,
                is_active=is_active,
            )
        )
        session.add(
            LocationService(
                location_id=location,
                service_type=service_type,
                slot_minutes=30,
                capacity_per_slot=capacity,
                booking_window_days=window_days,
                cancel_deadline_hours=cancel_hours,
            )
        )
        await session.flush()
        session.add_all(
            OpeningHours(
                location_id=location,
                service_type=service_type,
                weekday=w,
                opens=time(9),
                closes=closes,
            )
            for w in weekdays
        )
        session.add_all(
            ClosedDay(location_id=location, day=day, reason="系统维护") for day in closed or []
        )
    return location


async def slots_of(
    client: httpx.AsyncClient,
    token: str,
    location: object,
    first: date | None = None,
    last: date | None = None,
    kind: str = "EXIT_ENTRY",
) -> list[dict[str, Any]]:
    today = china_today()
    first = first or today
    last = last or today + timedelta(days=30)
    body = await graphql(
        client,
        SLOTS,
        {"location": str(location), "type": kind, "from": str(first), "to": str(last)},
        token=token,
    )
    assert "errors" not in body, body
    slots: list[dict[str, Any]] = body["data"]["availableSlots"]
    return slots
