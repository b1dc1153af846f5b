"""availableSlots through the GraphQL endpoint against real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx

from devstack.testing import TestIssuer, error_code, graphql
from servicekit.calendar import WorkingCalendar
from servicekit.db import Database

from .helpers import SLOTS, add_location, china_today, local_start, location_id

CALENDAR = WorkingCalendar()


def variables(
    location: str, start: object, end: object, kind: str = "EXIT_ENTRY"
) -> dict[str, str]:
    return {"location": location, "type": kind, "from": str(start), "to": str(end)}


async def test_slots_of_a_seeded_hall_cover_exactly_the_working_days_of_the_booking_window(
    booking: httpx.AsyncClient, issuer: TestIssuer
) -> None:
    token = issuer.token()
    hall = await location_id(booking, token, "QD-SN-EXIT")
    today = china_today()
    body = await graphql(
        booking, SLOTS, variables(hall, today, today + timedelta(days=30)), token=token
    )
    slots = body["data"]["availableSlots"]
    window = [today + timedelta(days=n) for n in range(1, 15)]  # tomorrow … 14 days ahead
    working = [day for day in window if CALENDAR.is_working_day(day)]
    by_day: dict[object, int] = {}
    for slot in slots:
        day = local_start(slot["startsAt"]).date()
        by_day[day] = by_day.get(day, 0) + 1
    assert sorted(by_day) == working
    assert set(by_day.values()) == {13}
    assert {(s["capacity"], s["remaining"], s["serviceType"]) for s in slots} == {
        (4, 4, "EXIT_ENTRY")
    }
    assert all(
        local_start(s["endsAt"]) - local_start(s["startsAt"]) == timedelta(minutes=30)
        for s in slots
    )
    assert len({s["id"] for s in slots}) == len(slots)


async def test_same_slot_has_the_same_id_in_every_query(
    booking: httpx.AsyncClient, issuer: TestIssuer
) -> None:
    token = issuer.token()
    hall = await location_id(booking, token, "QD-SN-EXIT")
    today = china_today()
    wide = await graphql(
        booking, SLOTS, variables(hall, today, today + timedelta(days=14)), token=token
    )
    first = wide["data"]["availableSlots"][0]
    day = local_start(first["startsAt"]).date()
    narrow = await graphql(booking, SLOTS, variables(hall, day, day), token=token)
    assert narrow["data"]["availableSlots"][0] == first


async def test_closed_day_has_no_slots_while_other_working_days_keep_theirs(
    booking: httpx.AsyncClient, booking_db: Database, issuer: TestIssuer
) -> None:
    today = china_today()
    window = [today + timedelta(days=n) for n in range(1, 8)]
    working = [day for day in window if CALENDAR.is_working_day(day)]
    closed = working[0]
    location = str(await add_location(booking_db, every_day=True, closed=[closed]))
    body = await graphql(
        booking, SLOTS, variables(location, window[0], window[-1]), token=issuer.token()
    )
    days = {local_start(s["startsAt"]).date() for s in body["data"]["availableSlots"]}
    assert days == set(working) - {closed}
    assert days  # a week always has another working day


async def test_dates_outside_the_booking_window_have_no_slots(
    booking: httpx.AsyncClient, issuer: TestIssuer
) -> None:
    token = issuer.token()
    hall = await location_id(booking, token, "QD-SN-EXIT")
    today = china_today()
    for start, end in [(today, today), (today + timedelta(days=15), today + timedelta(days=40))]:
        body = await graphql(booking, SLOTS, variables(hall, start, end), token=token)
        assert body["data"]["availableSlots"] == []


async def test_to_before_from_is_validation_failed_on_to(
    booking: httpx.AsyncClient, issuer: TestIssuer
) -> None:
    token = issuer.token()
    hall = await location_id(booking, token, "QD-SN-EXIT")
    today = china_today()
    body = await graphql(
        booking,
        SLOTS,
        variables(hall, today + timedelta(days=2), today + timedelta(days=1)),
        token=token,
    )
    assert error_code(body) == "VALIDATION_FAILED"
    assert [f["path"] for f in body["errors"][0]["extensions"]["fields"]] == ["to"]


async def test_range_of_more_than_31_days_is_validation_failed_on_to(
    booking: httpx.AsyncClient, issuer: TestIssuer
) -> None:
    token = issuer.token()
    hall = await location_id(booking, token, "QD-SN-EXIT")
    today = china_today()
    longest = await graphql(
        booking, SLOTS, variables(hall, today, today + timedelta(days=30)), token=token
    )
    assert "errors" not in longest
    body = await graphql(
        booking, SLOTS, variables(hall, today, today + timedelta(days=31)), token=token
    )
    assert error_code(body) == "VALIDATION_FAILED"
    assert body["errors"][0]["extensions"]["fields"][0]["path"] == "to"


async def test_unknown_location_is_not_found(
    booking: httpx.AsyncClient, booking_db: Database, issuer: TestIssuer
) -> None:
    today = china_today()
    inactive = str(await add_location(booking_db, is_active=False))
    for location in [str(uuid.uuid4()), "not-an-id", inactive]:
        body = await graphql(
            booking, SLOTS, variables(location, today, today), token=issuer.token()
        )
        assert error_code(body) == "NOT_FOUND", location


async def test_service_the_location_does_not_offer_is_validation_failed_on_service_type(
    booking: httpx.AsyncClient, issuer: TestIssuer
) -> None:
    token = issuer.token()
    window = await location_id(booking, token, "QD-LABOUR")
    today = china_today()
    body = await graphql(booking, SLOTS, variables(window, today, today, "EXIT_ENTRY"), token=token)
    assert error_code(body) == "VALIDATION_FAILED"
    assert body["errors"][0]["extensions"]["fields"][0]["path"] == "serviceType"
    labour = await graphql(
        booking,
        SLOTS,
        variables(window, today, today + timedelta(days=7), "LABOUR_PERMIT"),
        token=token,
    )
    assert {s["capacity"] for s in labour["data"]["availableSlots"]} == {2}


async def test_available_slots_requires_a_sign_in(
    booking: httpx.AsyncClient, issuer: TestIssuer
) -> None:
    hall = await location_id(booking, issuer.token(), "QD-SN-EXIT")
    today = china_today()
    body = await graphql(booking, SLOTS, variables(hall, today, today + timedelta(days=1)))
    assert error_code(body) == "UNAUTHENTICATED"
