"""bookAppointment, cancel, reschedule, slips and gRPC against real PostgreSQL, with gRPC doubles
of filing, personnel and documents."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import grpc
import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from booking.appointments.models import Appointment
from booking.config import BookingSettings
from booking.locations.models import ServiceType
from booking.seats.models import SlotSeats
from booking.slots.ids import slot_id
from contracts.gen.booking.v1 import appointments_pb2 as pb
from contracts.gen.booking.v1 import appointments_pb2_grpc as pb_grpc
from devstack.testing import TestIssuer, error_code, graphql
from documents.rendering.templates.notices import AppointmentSlip
from servicekit.calendar import CHINA_TZ
from servicekit.db import Database

from ..doubles import Doubles
from .helpers import add_location, china_today, slots_of
from .world import CANCEL, MINE, RESCHEDULE, SLIP, book, events_of, new_tenant


async def test_booking_takes_a_seat_and_gives_a_booking_number(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    tenant = new_tenant(doubles, issuer)
    location = await add_location(booking_db, every_day=True, capacity=3, cancel_hours=0)
    slot = (await slots_of(booking, tenant.token, location))[0]
    person = tenant.person()

    body = await book(booking, tenant, slot["id"], person=person)

    booked = body["data"]["bookAppointment"]
    assert booked["status"] == "BOOKED"
    assert re.fullmatch(rf"YY{china_today():%Y%m%d}\d{{5}}", booked["number"])
    assert booked["foreignPersonId"] == person
    assert booked["personName"] == "MÜLLER ANNA"
    assert booked["slot"] | {"remaining": None} == slot | {"remaining": None}
    assert booked["slot"]["remaining"] == 2
    again = next(
        s for s in await slots_of(booking, tenant.token, location) if s["id"] == slot["id"]
    )
    assert again["remaining"] == 2
    [(kind, data)] = await events_of(booking_db, booked["id"])
    assert kind == "booking.appointment.booked"
    assert data["accountIds"] == [tenant.account_id]
    assert data["number"] == booked["number"]
    mine = await graphql(booking, MINE, {}, token=tenant.token)
    assert [e["node"]["id"] for e in mine["data"]["myAppointments"]["edges"]] == [booked["id"]]


async def test_one_active_appointment_per_person_and_service(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    tenant = new_tenant(doubles, issuer)
    location = await add_location(booking_db, every_day=True, cancel_hours=0)
    first, second = (await slots_of(booking, tenant.token, location))[:2]
    person = tenant.person()
    booked = (await book(booking, tenant, first["id"], person=person))["data"]["bookAppointment"]

    assert error_code(await book(booking, tenant, second["id"], person=person)) == "CONFLICT"

    # The partial unique index says so too, whatever the application does.
    async with booking_db.unit_of_work() as session:
        row = await session.get(Appointment, uuid.UUID(booked["id"]))
        assert row is not None
        copy = {c.key: getattr(row, c.key) for c in Appointment.__table__.columns}
    copy |= {"id": uuid.uuid4(), "number": "YY0000000000001"}
    with pytest.raises(IntegrityError):
        async with booking_db.unit_of_work() as session:
            session.add(Appointment(**copy))
    # Once cancelled, the person may book again.
    await graphql(booking, CANCEL, {"id": booked["id"]}, token=tenant.token)
    assert "errors" not in await book(booking, tenant, second["id"], person=person)


async def test_another_enterprises_person_is_not_found(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    mine, theirs = new_tenant(doubles, issuer), new_tenant(doubles, issuer)
    location = await add_location(booking_db, every_day=True)
    slot = (await slots_of(booking, mine.token, location))[0]
    for person in [theirs.person(), str(uuid.uuid4()), "not-an-id"]:
        assert error_code(await book(booking, mine, slot["id"], person=person)) == "NOT_FOUND"


async def test_a_passed_application_books_a_labour_slot_and_others_cannot(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    tenant = new_tenant(doubles, issuer)
    window = await add_location(booking_db, every_day=True, service_type=ServiceType.LABOUR_PERMIT)
    slot = (await slots_of(booking, tenant.token, window, kind="LABOUR_PERMIT"))[0]

    pending = tenant.application(review="PENDING")
    body = await book(booking, tenant, slot["id"], application=pending, kind="LABOUR_PERMIT")
    assert error_code(body) == "INVALID_STATE"
    body = await book(booking, tenant, slot["id"], person=tenant.person(), kind="LABOUR_PERMIT")
    assert error_code(body) == "VALIDATION_FAILED"
    assert body["errors"][0]["extensions"]["fields"][0]["path"] == "applicationId"
    other = new_tenant(doubles, issuer).application()
    body = await book(booking, tenant, slot["id"], application=other, kind="LABOUR_PERMIT")
    assert error_code(body) == "NOT_FOUND"

    passed = tenant.application()
    body = await book(booking, tenant, slot["id"], application=passed, kind="LABOUR_PERMIT")
    assert body["data"]["bookAppointment"]["applicationId"] == passed
    assert body["data"]["bookAppointment"]["personName"] == "SMITH ANNA"


async def test_slots_outside_the_booking_window_cannot_be_booked(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    tenant = new_tenant(doubles, issuer)
    location = await add_location(booking_db, every_day=True)
    today = china_today()
    for day in [today, today + timedelta(days=15), today - timedelta(days=3)]:
        start = datetime.combine(day, datetime.min.time().replace(hour=9), tzinfo=CHINA_TZ)
        body = await book(booking, tenant, slot_id(location, ServiceType.EXIT_ENTRY, start))
        assert error_code(body) == "VALIDATION_FAILED", day
        assert body["errors"][0]["extensions"]["fields"][0]["path"] == "slotId"
    off_hours = datetime.combine(
        today + timedelta(days=2), datetime.min.time().replace(hour=12), tzinfo=CHINA_TZ
    )
    body = await book(booking, tenant, slot_id(location, ServiceType.EXIT_ENTRY, off_hours))
    assert error_code(body) == "VALIDATION_FAILED"
    body = await book(booking, tenant, "garbage")
    assert error_code(body) == "VALIDATION_FAILED"


async def test_chinese_public_holidays_are_closed_and_make_up_workdays_open(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    from servicekit.calendar import WorkingCalendar

    calendar = WorkingCalendar()
    tenant = new_tenant(doubles, issuer)
    location = await add_location(booking_db, window_days=400)  # Monday–Friday hours
    today = china_today()
    days = [today + timedelta(days=n) for n in range(1, 400)]
    holiday = next(d for d in days if d.weekday() < 5 and not calendar.is_working_day(d))
    slots = await slots_of(booking, tenant.token, location, holiday, holiday)
    assert slots == []
    start = datetime.combine(holiday, datetime.min.time().replace(hour=9), tzinfo=CHINA_TZ)
    body = await book(booking, tenant, slot_id(location, ServiceType.EXIT_ENTRY, start))
    assert error_code(body) == "VALIDATION_FAILED"
    make_up = [d for d in days if d.weekday() >= 5 and calendar.is_working_day(d)]
    if make_up:  # only when the State Council has published that year's calendar
        slots = await slots_of(booking, tenant.token, location, make_up[0], make_up[0])
        assert len(slots) == 4
        assert "errors" not in await book(booking, tenant, slots[0]["id"])


async def test_cancel_and_reschedule_end_at_the_cancellation_deadline(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    tenant = new_tenant(doubles, issuer)
    # A deadline longer than the booking window: every appointment is past it at once.
    location = await add_location(booking_db, every_day=True, cancel_hours=24 * 30)
    first, second = (await slots_of(booking, tenant.token, location))[:2]
    booked = (await book(booking, tenant, first["id"]))["data"]["bookAppointment"]

    cancel = await graphql(booking, CANCEL, {"id": booked["id"]}, token=tenant.token)
    assert error_code(cancel) == "INVALID_STATE"
    moved = await graphql(
        booking, RESCHEDULE, {"id": booked["id"], "slot": second["id"]}, token=tenant.token
    )
    assert error_code(moved) == "INVALID_STATE"


async def test_cancelling_releases_the_seat_and_only_the_enterprise_can(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    tenant, other = new_tenant(doubles, issuer), new_tenant(doubles, issuer)
    location = await add_location(booking_db, every_day=True, capacity=1, cancel_hours=0)
    slot = (await slots_of(booking, tenant.token, location))[0]
    booked = (await book(booking, tenant, slot["id"]))["data"]["bookAppointment"]
    assert booked["slot"]["remaining"] == 0
    assert error_code(await book(booking, tenant, slot["id"])) == "CONFLICT"

    assert (
        error_code(await graphql(booking, CANCEL, {"id": booked["id"]}, token=other.token))
        == "NOT_FOUND"
    )
    cancelled = await graphql(booking, CANCEL, {"id": booked["id"]}, token=tenant.token)
    assert cancelled["data"]["cancelAppointment"]["status"] == "CANCELLED"
    assert cancelled["data"]["cancelAppointment"]["cancelReason"] == "BY_USER"
    assert cancelled["data"]["cancelAppointment"]["slot"]["remaining"] == 1
    again = await graphql(booking, CANCEL, {"id": booked["id"]}, token=tenant.token)
    assert error_code(again) == "INVALID_STATE"
    types = [kind for kind, _ in await events_of(booking_db, booked["id"])]
    assert types == ["booking.appointment.booked", "booking.appointment.cancelled"]


async def test_reschedule_into_a_full_slot_keeps_the_old_appointment(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    tenant = new_tenant(doubles, issuer)
    location = await add_location(booking_db, every_day=True, capacity=1, cancel_hours=0)
    first, full, free = (await slots_of(booking, tenant.token, location))[:3]
    mine = (await book(booking, tenant, first["id"]))["data"]["bookAppointment"]
    assert "errors" not in await book(booking, tenant, full["id"])

    moved = await graphql(
        booking, RESCHEDULE, {"id": mine["id"], "slot": full["id"]}, token=tenant.token
    )
    assert error_code(moved) == "CONFLICT"
    async with booking_db.unit_of_work() as session:
        row = await session.get(Appointment, uuid.UUID(mine["id"]))
        assert row is not None
        assert (row.status, row.revision) == ("BOOKED", 1)
        assert row.starts_at == datetime.fromisoformat(first["startsAt"])
        rows = await session.execute(
            select(SlotSeats.starts_at, SlotSeats.booked).where(SlotSeats.location_id == location)
        )
        booked = {starts_at: count for starts_at, count in rows}
    assert booked == {
        datetime.fromisoformat(first["startsAt"]): 1,
        datetime.fromisoformat(full["startsAt"]): 1,
    }

    moved = await graphql(
        booking, RESCHEDULE, {"id": mine["id"], "slot": free["id"]}, token=tenant.token
    )
    result = moved["data"]["rescheduleAppointment"]
    assert (result["revision"], result["slot"]["id"], result["number"]) == (
        2,
        free["id"],
        mine["number"],
    )
    remaining = {s["id"]: s["remaining"] for s in await slots_of(booking, tenant.token, location)}
    assert (remaining[first["id"]], remaining[full["id"]], remaining[free["id"]]) == (1, 0, 0)
    kinds = [kind for kind, _ in await events_of(booking_db, mine["id"])]
    assert kinds == ["booking.appointment.booked", "booking.appointment.rescheduled"]


async def test_slip_is_rendered_with_the_appointments_revision(
    booking: httpx.AsyncClient, booking_db: Database, doubles: Doubles, issuer: TestIssuer
) -> None:
    tenant = new_tenant(doubles, issuer)
    location = await add_location(booking_db, every_day=True, cancel_hours=0)
    first, second = (await slots_of(booking, tenant.token, location))[:2]
    booked = (await book(booking, tenant, first["id"]))["data"]["bookAppointment"]

    slip = await graphql(booking, SLIP, {"id": booked["id"]}, token=tenant.token)
    request = doubles.documents.requests[-1]
    assert (request.kind, request.subject_id, request.revision) == (
        "APPOINTMENT_SLIP",
        booked["id"],
        1,
    )
    assert request.owner_enterprise_id == tenant.enterprise_id
    data = AppointmentSlip.model_validate_json(request.data_json)  # documents' own data model
    assert data.booking_number == booked["number"]
    assert data.person_name == "MÜLLER ANNA"
    assert data.document_number == "C0*****47"  # enough to match at the window, masked
    assert slip["data"]["appointment"]["slip"]["id"]

    await graphql(
        booking, RESCHEDULE, {"id": booked["id"], "slot": second["id"]}, token=tenant.token
    )
    again = await graphql(booking, SLIP, {"id": booked["id"]}, token=tenant.token)
    assert doubles.documents.requests[-1].revision == 2
    assert again["data"]["appointment"]["slip"]["id"] != slip["data"]["appointment"]["slip"]["id"]
    other = new_tenant(doubles, issuer)
    assert error_code(await graphql(booking, SLIP, {"id": booked["id"]}, token=other.token)) == (
        "NOT_FOUND"
    )


async def test_get_appointment_over_grpc(
    booking: httpx.AsyncClient,
    booking_db: Database,
    booking_settings: BookingSettings,
    doubles: Doubles,
    issuer: TestIssuer,
) -> None:
    tenant = new_tenant(doubles, issuer)
    location = await add_location(booking_db, every_day=True)
    slot = (await slots_of(booking, tenant.token, location))[0]
    booked = (await book(booking, tenant, slot["id"]))["data"]["bookAppointment"]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{booking_settings.grpc_port}") as channel:
        stub = pb_grpc.AppointmentsStub(channel)
        reply = await stub.GetAppointment(
            pb.GetAppointmentRequest(appointment_id=booked["id"]), timeout=3
        )
        for missing in [str(uuid.uuid4()), "a"]:
            with pytest.raises(grpc.aio.AioRpcError) as failure:
                await stub.GetAppointment(
                    pb.GetAppointmentRequest(appointment_id=missing), timeout=3
                )
            assert failure.value.code() == grpc.StatusCode.NOT_FOUND
    assert (reply.id, reply.number, reply.status) == (booked["id"], booked["number"], "BOOKED")
    assert (reply.location_id, reply.enterprise_id) == (str(location), tenant.enterprise_id)
    assert datetime.fromisoformat(reply.starts_at) == datetime.fromisoformat(slot["startsAt"])


async def test_seat_counts_match_appointments_and_never_exceed_capacity(
    booking: httpx.AsyncClient, booking_db: Database
) -> None:
    """Whatever the tests above did: booked = BOOKED appointments + OPEN offers per slot."""
    async with booking_db.unit_of_work() as session:
        mismatched = await session.scalar(
            text(
                """select count(*) from slot_seats s where s.booked > s.capacity or s.booked <>
                (select count(*) from appointments a where a.location_id = s.location_id
                   and a.service_type = s.service_type and a.starts_at = s.starts_at
                   and a.status = 'BOOKED')
                + (select count(*) from waitlist_offers o where o.location_id = s.location_id
                   and o.service_type = s.service_type and o.starts_at = s.starts_at
                   and o.status = 'OPEN')"""
            )
        )
        assert await session.scalar(select(func.count()).select_from(SlotSeats))
    assert mismatched == 0
