"""Capacity under simultaneous requests to two booking processes sharing one database.

Two real `booking serve` processes (separate interpreters, separate connection pools) take 200
concurrent requests for 200 different persons; the database alone decides who gets the seats.
No timing is asserted: only outcomes, every run."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import datetime

import httpx
import pytest
from sqlalchemy import func, select

from booking.appointments.models import Appointment
from booking.config import BookingSettings
from booking.seats.models import SlotSeats
from devstack.infra import free_port
from devstack.stack import ROOT
from devstack.testing import TestIssuer, error_code, graphql
from servicekit.db import Database

from ..doubles import Doubles
from .helpers import add_location, slots_of
from .world import BOOK, RESCHEDULE, new_tenant

REQUESTS = 200
SEATS = 10


@pytest.fixture(scope="module")
def replicas(booking_settings: BookingSettings, doubles: Doubles) -> Iterator[list[str]]:
    """Two booking processes on free ports against the suite's database."""
    processes: list[subprocess.Popen[bytes]] = []
    urls = []
    for _ in range(2):
        http_port = free_port()
        env = dict(
            os.environ,
            APP_ENV="test",
            LOG_LEVEL="WARNING",
            JWKS_URL=booking_settings.jwks_url,
            KAFKA_BOOTSTRAP_SERVERS=booking_settings.kafka.bootstrap_servers,
            BOOKING_DATABASE_URL=booking_settings.database_url,
            BOOKING_HTTP_PORT=str(http_port),
            BOOKING_GRPC_PORT=str(free_port()),
            BOOKING_FILING_GRPC_TARGET=doubles.target("filing"),
            BOOKING_PERSONNEL_GRPC_TARGET=doubles.target("personnel"),
            BOOKING_DOCUMENTS_GRPC_TARGET=doubles.target("documents"),
        )
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "booking.cli", "serve"],
                env=env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{http_port}")
    try:
        for process, url in zip(processes, urls, strict=True):
            _wait_ready(process, url)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(process: subprocess.Popen[bytes], url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "a booking replica exited"
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(url)


@pytest.fixture
async def clients(replicas: list[str]) -> AsyncIterator[list[httpx.AsyncClient]]:
    limits = httpx.Limits(max_connections=REQUESTS, max_keepalive_connections=REQUESTS)
    async with (
        httpx.AsyncClient(timeout=60, limits=limits) as first,
        httpx.AsyncClient(timeout=60, limits=limits) as second,
    ):
        yield [first, second]


async def _all_at_once(
    clients: list[httpx.AsyncClient], query: str, variables: list[dict], token: str, urls: list[str]
) -> Counter[str]:
    start = asyncio.Event()

    async def one(i: int) -> str:
        await start.wait()
        body = await graphql(
            clients[i % 2], query, variables[i], token=token, path=f"{urls[i % 2]}/graphql"
        )
        return "OK" if "errors" not in body else str(error_code(body))

    tasks = [asyncio.create_task(one(i)) for i in range(len(variables))]
    await asyncio.sleep(0.1)
    start.set()
    return Counter(await asyncio.gather(*tasks))


async def _seats_and_appointments(
    db: Database, location: uuid.UUID, starts_at: datetime
) -> tuple[int, int]:
    async with db.unit_of_work() as session:
        seats = await session.scalar(
            select(SlotSeats.booked).where(
                SlotSeats.location_id == location, SlotSeats.starts_at == starts_at
            )
        )
        booked = await session.scalar(
            select(func.count())
            .select_from(Appointment)
            .where(
                Appointment.location_id == location,
                Appointment.starts_at == starts_at,
                Appointment.status == "BOOKED",
            )
        )
    return int(seats or 0), int(booked or 0)


async def test_200_simultaneous_bookings_on_two_replicas_fill_10_seats_exactly(
    booking: httpx.AsyncClient,
    booking_db: Database,
    doubles: Doubles,
    issuer: TestIssuer,
    replicas: list[str],
    clients: list[httpx.AsyncClient],
) -> None:
    tenant = new_tenant(doubles, issuer)
    location = await add_location(booking_db, every_day=True, capacity=SEATS, cancel_hours=0)
    slot = (await slots_of(booking, tenant.token, location))[0]
    variables = [
        {
            "input": {
                "slotId": slot["id"],
                "serviceType": "EXIT_ENTRY",
                "foreignPersonId": tenant.person(),
            }
        }
        for _ in range(REQUESTS)
    ]

    outcomes = await _all_at_once(clients, BOOK, variables, tenant.token, replicas)

    assert outcomes == Counter({"OK": SEATS, "CONFLICT": REQUESTS - SEATS})
    starts_at = datetime.fromisoformat(slot["startsAt"])
    assert await _seats_and_appointments(booking_db, location, starts_at) == (SEATS, SEATS)


async def test_200_simultaneous_reschedules_into_one_slot_fill_10_seats_exactly(
    booking: httpx.AsyncClient,
    booking_db: Database,
    doubles: Doubles,
    issuer: TestIssuer,
    replicas: list[str],
    clients: list[httpx.AsyncClient],
) -> None:
    tenant = new_tenant(doubles, issuer)
    # 09:00–21:00: 24 half-hour slots a day; 20 hold the appointments to move, one is the target.
    location = await add_location(
        booking_db,
        every_day=True,
        capacity=SEATS,
        cancel_hours=0,
        closes=datetime.min.time().replace(hour=21),
    )
    slots = await slots_of(booking, tenant.token, location)
    day = slots[0]["startsAt"][:10]
    sources, target = [s for s in slots if s["startsAt"][:10] == day][:20], slots[20]
    appointments = []
    for source in sources:
        for _ in range(SEATS):
            body = await graphql(
                booking,
                BOOK,
                {
                    "input": {
                        "slotId": source["id"],
                        "serviceType": "EXIT_ENTRY",
                        "foreignPersonId": tenant.person(),
                    }
                },
                token=tenant.token,
            )
            appointments.append(body["data"]["bookAppointment"]["id"])
    variables = [{"id": appointment, "slot": target["id"]} for appointment in appointments]

    outcomes = await _all_at_once(clients, RESCHEDULE, variables, tenant.token, replicas)

    assert outcomes == Counter({"OK": SEATS, "CONFLICT": REQUESTS - SEATS})
    moved_to = datetime.fromisoformat(target["startsAt"])
    assert await _seats_and_appointments(booking_db, location, moved_to) == (SEATS, SEATS)
    async with booking_db.unit_of_work() as session:  # every appointment is still booked once
        total = await session.scalar(
            select(func.count())
            .select_from(Appointment)
            .where(Appointment.location_id == location, Appointment.status == "BOOKED")
        )
        seats = await session.scalar(
            select(func.sum(SlotSeats.booked)).where(SlotSeats.location_id == location)
        )
    assert (total, seats) == (REQUESTS, REQUESTS)
