"""Waitlist offers and their expiry, ad-hoc closures, officers' day lists and attendance, roles."""

from __future__ import annotations

import asyncio
import uuid
from datetime import time, timedelta

import httpx
from sqlalchemy import update

from booking.appointments.models import Appointment
from booking.waitlist.models import WaitlistOffer
from devstack.testing import TestIssuer, error_code, graphql
from servicekit.db import Database, utcnow

from ..doubles import Doubles
from .helpers import add_location, local_start, slots_of
from .world import (
    ACCEPT,
    CANCEL,
    CLOSE,
    JOIN,
    MARK_ATTENDED,
    MARK_NO_SHOW,
    MY_WAITLIST,
    OF_DAY,
    Tenant,
    book,
    events_of,
    new_tenant,
)

ONE_SLOT_A_DAY = {"every_day": True, "capacity": 1, "cancel_hours": 0, "closes": time(9, 30)}


async def join(client: httpx.AsyncClient, tenant: Tenant, location: object, day: str) -> dict:
    payload = {
        "locationId": str(location),
        "serviceType": "EXIT_ENTRY",
        "date": day,
        "foreignPersonId": tenant.person(),
    }
    return await graphql(client, JOIN, {"input": payload}, token=tenant.token)


async def waitlist_of(client: httpx.AsyncClient, tenant: Tenant) -> list[dict]:
    body = await graphql(client, MY_WAITLIST, {}, token=tenant.token)
    return body["data"]["myWaitlist"]


async def until(check, timeout: float = 20.0):  # type: ignore[no-untyped-def]
    """Polls until `check()` is truthy (the sweeper runs every 0.2 s in tests)."""
    async with asyncio.timeout(timeout):
        while not (result := await check()):
            await asyncio.sleep(0.1)
    return result


async def test_a_released_seat_is_offered_to_the_first_waiting_and_accepted(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    holder, first, second = (new_tenant(doubles, issuer) for _ in range(3))
    location = await add_location(booking_db, **ONE_SLOT_A_DAY)
    slot = (await slots_of(booking, holder.token, location))[0]
    day = str(local_start(slot["startsAt"]).date())
    next_day = str(
        local_start((await slots_of(booking, holder.token, location))[1]["startsAt"]).date()
    )
    assert error_code(await join(booking, first, location, day)) == "INVALID_STATE"  # not full
    booked = (await book(booking, holder, slot["id"]))["data"]["bookAppointment"]
    assert error_code(await join(booking, first, location, next_day)) == "INVALID_STATE"

    assert (await join(booking, first, location, day))["data"]["joinWaitlist"][
        "status"
    ] == "WAITING"
    assert "errors" not in await join(booking, second, location, day)
    await graphql(booking, CANCEL, {"id": booked["id"]}, token=holder.token)

    [entry] = await waitlist_of(booking, first)
    assert entry["status"] == "OFFERED"
    assert entry["offer"]["status"] == "OPEN"
    assert entry["offer"]["slot"]["id"] == slot["id"]
    assert entry["offer"]["slot"]["remaining"] == 0  # the held seat counts as taken
    assert error_code(await book(booking, holder, slot["id"])) == "CONFLICT"
    [(kind, data)] = await events_of(booking_db, entry["offer"]["id"])
    assert kind == "booking.appointment.offered"
    assert data["accountIds"] == [first.account_id]
    assert (
        error_code(await graphql(booking, ACCEPT, {"id": entry["offer"]["id"]}, token=second.token))
        == "NOT_FOUND"
    )

    accepted = await graphql(booking, ACCEPT, {"id": entry["offer"]["id"]}, token=first.token)

    appointment = accepted["data"]["acceptWaitlistOffer"]
    assert appointment["id"] == entry["offer"]["id"]
    assert appointment["status"] == "BOOKED"
    assert appointment["slot"]["remaining"] == 0
    assert (await waitlist_of(booking, first))[0]["status"] == "BOOKED"
    assert (await waitlist_of(booking, second))[0]["status"] == "WAITING"
    again = await graphql(booking, ACCEPT, {"id": entry["offer"]["id"]}, token=first.token)
    assert error_code(again) == "INVALID_STATE"


async def test_an_unclaimed_offer_expires_and_moves_on_then_frees_the_seat(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    holder, first, second = (new_tenant(doubles, issuer) for _ in range(3))
    location = await add_location(booking_db, **ONE_SLOT_A_DAY)
    slot = (await slots_of(booking, holder.token, location))[0]
    day = str(local_start(slot["startsAt"]).date())
    booked = (await book(booking, holder, slot["id"]))["data"]["bookAppointment"]
    await join(booking, first, location, day)
    await join(booking, second, location, day)
    await graphql(booking, CANCEL, {"id": booked["id"]}, token=holder.token)
    offer_id = (await waitlist_of(booking, first))[0]["offer"]["id"]

    async def run_out(offer: str) -> None:
        async with booking_db.unit_of_work() as session:
            await session.execute(
                update(WaitlistOffer)
                .where(WaitlistOffer.id == uuid.UUID(offer))
                .values(expires_at=utcnow() - timedelta(seconds=1))
            )

    await run_out(offer_id)
    assert error_code(await graphql(booking, ACCEPT, {"id": offer_id}, token=first.token)) == (
        "INVALID_STATE"
    )

    async def second_is_offered() -> list[dict] | None:
        entries = await waitlist_of(booking, second)
        return entries if entries[0]["status"] == "OFFERED" else None

    [entry] = await until(second_is_offered)
    assert (await waitlist_of(booking, first))[0]["status"] == "EXPIRED"
    kinds = [kind for kind, _ in await events_of(booking_db, offer_id)]
    assert kinds == ["booking.appointment.offered", "booking.appointment.offer_expired"]

    await run_out(entry["offer"]["id"])

    async def seat_is_free() -> bool:
        slots = await slots_of(booking, holder.token, location)
        return next(s for s in slots if s["id"] == slot["id"])["remaining"] == 1

    await until(seat_is_free)
    assert (await waitlist_of(booking, second))[0]["status"] == "EXPIRED"


async def test_closing_a_day_cancels_its_appointments_and_tells_their_users(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    tenant = new_tenant(doubles, issuer)
    admin = issuer.token(str(uuid.uuid4()), ["ADMIN"])
    location = await add_location(booking_db, every_day=True, capacity=3)
    slots = await slots_of(booking, tenant.token, location)
    day = local_start(slots[0]["startsAt"]).date()
    same_day = [s for s in slots if local_start(s["startsAt"]).date() == day]
    booked = [
        (await book(booking, tenant, s["id"]))["data"]["bookAppointment"] for s in same_day[:2]
    ]
    variables = {"location": str(location), "date": str(day), "reason": "系统升级维护"}
    assert error_code(await graphql(booking, CLOSE, variables, token=tenant.token)) == "FORBIDDEN"

    closed = (await graphql(booking, CLOSE, variables, token=admin))["data"]["closeLocationDay"]

    assert sorted(a["id"] for a in closed["cancelledAppointments"]) == sorted(
        a["id"] for a in booked
    )
    assert {
        (a["status"], a["cancelReason"], a["cancelNote"]) for a in closed["cancelledAppointments"]
    } == {("CANCELLED", "LOCATION_CLOSED", "系统升级维护")}
    for appointment in booked:
        kind, data = (await events_of(booking_db, appointment["id"]))[-1]
        assert kind == "booking.appointment.cancelled"
        assert (data["accountIds"], data["reason"]) == ([tenant.account_id], "LOCATION_CLOSED")
    assert await slots_of(booking, tenant.token, location, day, day) == []
    assert error_code(await graphql(booking, CLOSE, variables, token=admin)) == "CONFLICT"


async def test_officers_see_the_day_and_mark_attendance_only_after_the_start(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    tenant = new_tenant(doubles, issuer)
    location = await add_location(booking_db, every_day=True, district="370202")
    slot = (await slots_of(booking, tenant.token, location))[0]
    future = (await book(booking, tenant, slot["id"]))["data"]["bookAppointment"]
    started = (await book(booking, tenant, slot["id"]))["data"]["bookAppointment"]
    async with booking_db.unit_of_work() as session:  # as if its slot had begun
        await session.execute(
            update(Appointment)
            .where(Appointment.id == uuid.UUID(started["id"]))
            .values(starts_at=utcnow() - timedelta(minutes=5))
        )
    branch = issuer.token(str(uuid.uuid4()), ["BRANCH_OFFICER"], districts=["370202"])
    other_branch = issuer.token(str(uuid.uuid4()), ["BRANCH_OFFICER"], districts=["370211"])
    labour = issuer.token(str(uuid.uuid4()), ["LABOUR_OFFICER"])
    city = issuer.token(str(uuid.uuid4()), ["CITY_OFFICER"])
    day = str(local_start(slot["startsAt"]).date())

    listed = await graphql(booking, OF_DAY, {"location": str(location), "date": day}, token=branch)
    assert future["id"] in {a["id"] for a in listed["data"]["appointmentsOfDay"]}
    for token in [other_branch, labour, tenant.token]:
        body = await graphql(booking, OF_DAY, {"location": str(location), "date": day}, token=token)
        assert error_code(body) == "FORBIDDEN"
        assert (
            error_code(await graphql(booking, MARK_ATTENDED, {"id": started["id"]}, token=token))
            == "FORBIDDEN"
        )

    early = await graphql(booking, MARK_ATTENDED, {"id": future["id"]}, token=city)
    assert error_code(early) == "INVALID_STATE"
    assert error_code(await graphql(booking, MARK_NO_SHOW, {"id": future["id"]}, token=city)) == (
        "INVALID_STATE"
    )
    attended = await graphql(booking, MARK_ATTENDED, {"id": started["id"]}, token=branch)
    assert attended["data"]["markAttended"]["status"] == "ATTENDED"
    again = await graphql(booking, MARK_NO_SHOW, {"id": started["id"]}, token=city)
    assert error_code(again) == "INVALID_STATE"
    kind, data = (await events_of(booking_db, started["id"]))[-1]
    assert (kind, data["status"]) == ("booking.appointment.attended", "ATTENDED")


async def test_no_show_is_recorded_by_an_officer_of_the_service(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    tenant = new_tenant(doubles, issuer)
    location = await add_location(booking_db, every_day=True)
    slot = (await slots_of(booking, tenant.token, location))[0]
    booked = (await book(booking, tenant, slot["id"]))["data"]["bookAppointment"]
    async with booking_db.unit_of_work() as session:
        await session.execute(
            update(Appointment)
            .where(Appointment.id == uuid.UUID(booked["id"]))
            .values(starts_at=utcnow() - timedelta(hours=1))
        )
    admin = issuer.token(str(uuid.uuid4()), ["ADMIN"])
    body = await graphql(booking, MARK_NO_SHOW, {"id": booked["id"]}, token=admin)
    assert body["data"]["markNoShow"]["status"] == "NO_SHOW"
    assert (await events_of(booking_db, booked["id"]))[-1][0] == "booking.appointment.no_show"


async def test_officers_and_users_without_an_enterprise_cannot_book(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    tenant = new_tenant(doubles, issuer)
    location = await add_location(booking_db, every_day=True)
    slot = (await slots_of(booking, tenant.token, location))[0]
    person = tenant.person()
    for token in [
        issuer.token(str(uuid.uuid4()), ["CITY_OFFICER"]),
        issuer.token(str(uuid.uuid4()), ["ENTERPRISE_USER"]),  # acts for no enterprise
    ]:
        stranger = Tenant(tenant.account_id, tenant.enterprise_id, token, doubles)
        assert error_code(await book(booking, stranger, slot["id"], person=person)) == "FORBIDDEN"
    unsigned = await graphql(booking, CANCEL, {"id": str(uuid.uuid4())})
    assert error_code(unsigned) == "UNAUTHENTICATED"
