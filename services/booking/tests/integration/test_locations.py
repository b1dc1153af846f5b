"""bookingLocations and Location entities against real PostgreSQL, seeded with the demo data."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from booking.config import BookingSettings
from booking.demo import seed_demo
from booking.locations.models import Location, OpeningHours
from devstack.testing import TestIssuer, error_code, graphql
from servicekit.db import Database

from .helpers import LOCATIONS, add_location

EXIT_HALLS = {"QD-SN-EXIT", "QD-XHA-EXIT"}
LABOUR_WINDOWS = {"QD-LABOUR"}
ENTITY = """query($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on Location { id code isActive } } }"""


async def test_signed_in_user_sees_seeded_locations_filtered_by_service_type(
    booking: httpx.AsyncClient, issuer: TestIssuer
) -> None:
    token = issuer.token()
    every = (await graphql(booking, LOCATIONS, {}, token=token))["data"]["bookingLocations"]
    exit_entry = await graphql(booking, LOCATIONS, {"type": "EXIT_ENTRY"}, token=token)
    labour = await graphql(booking, LOCATIONS, {"type": "LABOUR_PERMIT"}, token=token)
    exit_codes = {row["code"] for row in exit_entry["data"]["bookingLocations"]}
    labour_codes = {row["code"] for row in labour["data"]["bookingLocations"]}

    assert {row["code"] for row in every} >= EXIT_HALLS | LABOUR_WINDOWS
    assert exit_codes >= EXIT_HALLS
    assert not LABOUR_WINDOWS & exit_codes
    assert labour_codes >= LABOUR_WINDOWS
    assert not EXIT_HALLS & labour_codes
    assert all(
        "EXIT_ENTRY" in row["serviceTypes"] for row in exit_entry["data"]["bookingLocations"]
    )
    assert all("LABOUR_PERMIT" in row["serviceTypes"] for row in labour["data"]["bookingLocations"])


async def test_seeded_hall_opens_weekdays_with_a_lunch_break_in_half_hour_slots(
    booking: httpx.AsyncClient, issuer: TestIssuer
) -> None:
    body = await graphql(booking, LOCATIONS, {"type": "EXIT_ENTRY"}, token=issuer.token())
    hall = next(row for row in body["data"]["bookingLocations"] if row["code"] == "QD-SN-EXIT")
    assert hall["name"] == "青岛市公安局出入境管理局市南办证大厅"
    assert hall["district"] == "370202"
    assert hall["services"] == [
        {
            "serviceType": "EXIT_ENTRY",
            "slotMinutes": 30,
            "capacityPerSlot": 4,
            "bookingWindowDays": 14,
            "cancelDeadlineHours": 24,
        }
    ]
    hours = {(h["weekday"], h["opens"], h["closes"]) for h in hall["openingHours"]}
    assert hours == {
        (w, o, c) for w in range(5) for o, c in [("09:00:00", "12:00:00"), ("13:30:00", "17:00:00")]
    }


async def test_listing_locations_requires_a_valid_sign_in(booking: httpx.AsyncClient) -> None:
    assert error_code(await graphql(booking, LOCATIONS, {})) == "UNAUTHENTICATED"
    assert error_code(await graphql(booking, LOCATIONS, {}, token="garbage")) == "UNAUTHENTICATED"


async def test_inactive_location_is_not_listed_but_still_resolves_as_an_entity(
    booking: httpx.AsyncClient, booking_db: Database, issuer: TestIssuer
) -> None:
    inactive = str(await add_location(booking_db, is_active=False))
    token = issuer.token()
    listed = await graphql(booking, LOCATIONS, {}, token=token)
    assert inactive not in {row["id"] for row in listed["data"]["bookingLocations"]}
    reps = [{"__typename": "Location", "id": inactive}]
    entity = (await graphql(booking, ENTITY, {"reps": reps}, token=token))["data"]["_entities"]
    assert entity == [
        {"id": inactive, "code": f"T-{inactive.replace('-', '')[:12]}", "isActive": False}
    ]


async def test_location_entity_needs_a_sign_in(
    booking: httpx.AsyncClient, booking_db: Database
) -> None:
    location = str(await add_location(booking_db))
    body = await graphql(booking, ENTITY, {"reps": [{"__typename": "Location", "id": location}]})
    assert error_code(body) == "UNAUTHENTICATED"


async def test_seeding_demo_data_again_adds_nothing(
    booking: httpx.AsyncClient, booking_settings: BookingSettings, booking_db: Database
) -> None:
    async def counts() -> tuple[int, int]:
        async with booking_db.unit_of_work() as session:
            locations = await session.scalar(select(func.count()).select_from(Location))
            hours = await session.scalar(select(func.count()).select_from(OpeningHours))
        return int(locations or 0), int(hours or 0)

    before = await counts()
    await seed_demo(booking_settings)
    assert await counts() == before
