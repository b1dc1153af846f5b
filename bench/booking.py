"""Bookings per second under contention, and request latency (the README's booking figure).

    uv run python -m bench.booking                       # 10 s, 64 concurrent clients
    uv run python -m bench.booking --seconds 20 --workers 128 --replicas 2

Two `booking serve` processes (real replicas: separate interpreters and connection pools) share
one embedded PostgreSQL; filing and personnel are gRPC doubles in this process that answer at
once. Every request books a new person into the earliest slot that still has seats, so all
clients rush the same slot until the database says it is full (CONFLICT), then the next one:
the worst case for the seat row's lock. Afterwards the database is checked: no slot over its
capacity, and seat counts equal booked appointments.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
import uuid
from datetime import time as clock_time

import grpc
import httpx
from sqlalchemy import text

from booking.locations.models import Location, LocationService, OpeningHours, ServiceType
from booking.slots.schedule import ServiceSchedule, slots_between
from contracts.gen.filing.v1 import enterprises_pb2 as fpb
from contracts.gen.filing.v1 import enterprises_pb2_grpc as fpb_grpc
from contracts.gen.personnel.v1 import people_pb2 as ppb
from contracts.gen.personnel.v1 import people_pb2_grpc as ppb_grpc
from devstack.infra import Broker, Postgres, free_port
from devstack.stack import ROOT
from devstack.testing import TestIssuer
from servicekit.calendar import CHINA_TZ, WorkingCalendar
from servicekit.db import Database, make_engine, utcnow

BOOK = """mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }"""
ENTERPRISE = str(uuid.uuid4())


class Filing(fpb_grpc.EnterprisesServicer):
    async def GetEnterprise(
        self, request: fpb.GetEnterpriseRequest, context: object
    ) -> fpb.Enterprise:
        return fpb.Enterprise(
            id=ENTERPRISE, name="青岛压测有限公司", status=fpb.ENTERPRISE_STATUS_FILED
        )


class People(ppb_grpc.PeopleServicer):
    async def GetForeignPerson(
        self, request: ppb.GetForeignPersonRequest, context: object
    ) -> ppb.ForeignPerson:
        return ppb.ForeignPerson(
            id=request.person_id, enterprise_id=ENTERPRISE, surname="LOAD", given_names="TEST"
        )


async def start_doubles() -> tuple[grpc.aio.Server, int, int]:
    server = grpc.aio.server()
    fpb_grpc.add_EnterprisesServicer_to_server(Filing(), server)
    ppb_grpc.add_PeopleServicer_to_server(People(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    return server, port, port


async def add_location(url: str, capacity: int) -> list[str]:
    """A location open every day 09:00–21:00 in half-hour slots; its slot ids, earliest first."""
    db = Database(make_engine(url, 2))
    location_id = uuid.uuid4()
    async with db.unit_of_work() as session:
        session.add(
            Location(
                id=location_id, code="BENCH", name="压测大厅", address="青岛", district="370202"
            )
        )
        service = LocationService(
            location_id=location_id,
            service_type=ServiceType.EXIT_ENTRY,
            slot_minutes=30,
            capacity_per_slot=capacity,
            booking_window_days=30,
            cancel_deadline_hours=0,
        )
        session.add(service)
        await session.flush()
        hours = [
            OpeningHours(
                location_id=location_id,
                service_type=ServiceType.EXIT_ENTRY,
                weekday=w,
                opens=clock_time(9),
                closes=clock_time(21),
            )
            for w in range(7)
        ]
        session.add_all(hours)
    await db.dispose()
    location = Location(id=location_id)
    location.services = [service]  # type: ignore[misc]
    location.opening_hours = hours  # type: ignore[misc]
    schedule = ServiceSchedule.of(location, ServiceType.EXIT_ENTRY)
    assert schedule is not None
    today = utcnow().astimezone(CHINA_TZ).date()
    first, last = schedule.window(today)
    return [slot.id for slot in slots_between(schedule, WorkingCalendar(), today, first, last)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def load(urls: list[str], token: str, slots: list[str], seconds: float, workers: int) -> None:
    cursor = 0
    latencies: list[float] = []
    booked_latencies: list[float] = []
    outcomes: dict[str, int] = {}
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    headers = {"authorization": f"Bearer {token}"}
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def worker(n: int) -> None:
            nonlocal cursor
            url = f"{urls[n % len(urls)]}/graphql"
            while time.perf_counter() < deadline and cursor < len(slots):
                index = cursor
                variables = {
                    "input": {
                        "slotId": slots[index],
                        "serviceType": "EXIT_ENTRY",
                        "foreignPersonId": str(uuid.uuid4()),
                    }
                }
                started = time.perf_counter()
                response = await client.post(
                    url, json={"query": BOOK, "variables": variables}, headers=headers
                )
                elapsed = time.perf_counter() - started
                body = response.json()
                code = "BOOKED" if "errors" not in body else body["errors"][0]["extensions"]["code"]
                outcomes[code] = outcomes.get(code, 0) + 1
                latencies.append(elapsed)
                if code == "BOOKED":
                    booked_latencies.append(elapsed)
                elif code == "CONFLICT" and cursor == index:
                    cursor += 1  # that slot is full: everybody moves to the next

        started = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(workers)))
        elapsed = time.perf_counter() - started
    booked = outcomes.get("BOOKED", 0)
    print(
        f"\nbookAppointment, {workers} concurrent clients on {len(urls)} replicas, {elapsed:.1f} s, "
        f"every client on the same slot until it is full:"
    )
    print(
        f"  booked     {booked / elapsed:8.0f} bookings/s   ({booked} seats in {cursor} full slots)"
    )
    print(
        f"  requests   {len(latencies) / elapsed:8.0f} req/s        outcomes {dict(sorted(outcomes.items()))}"
    )
    print(
        f"  latency    p50 {percentile(latencies, 0.5) * 1000:6.1f} ms   p99 {percentile(latencies, 0.99) * 1000:6.1f} ms   "
        f"(successful bookings: p50 {percentile(booked_latencies, 0.5) * 1000:.1f} ms, p99 {percentile(booked_latencies, 0.99) * 1000:.1f} ms)"
    )


async def check(url: str) -> None:
    db = Database(make_engine(url, 2))
    async with db.unit_of_work() as session:
        over = await session.scalar(text("select count(*) from slot_seats where booked > capacity"))
        mismatched = await session.scalar(
            text(
                "select count(*) from slot_seats s where s.booked <> (select count(*) from appointments a "
                "where a.location_id = s.location_id and a.starts_at = s.starts_at and a.status = 'BOOKED')"
            )
        )
        total = await session.scalar(text("select count(*) from appointments"))
    await db.dispose()
    print(
        f"  database   {total} appointments, slots over capacity: {over}, seat counts off: {mismatched}"
    )
    assert over == 0 and mismatched == 0


async def run(args: argparse.Namespace) -> None:
    var = ROOT / "var" / "bench" / "booking"
    postgres = Postgres(var / "pgdata")
    broker = Broker(var / "broker.log")
    processes: list[subprocess.Popen[bytes]] = []
    issuer = TestIssuer()
    doubles, port, _ = await start_doubles()
    try:
        await broker.astart()
        url = await postgres.ensure_database("bench_booking", fresh=True)
        base_env = dict(
            os.environ,
            APP_ENV="test",
            LOG_LEVEL="WARNING",
            BOOKING_DATABASE_URL=url,
            JWKS_URL=issuer.url,
            KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap,
            BOOKING_FILING_GRPC_TARGET=f"127.0.0.1:{port}",
            BOOKING_PERSONNEL_GRPC_TARGET=f"127.0.0.1:{port}",
        )
        await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "booking.cli", "migrate"],
            env=base_env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        slots = await add_location(url, args.capacity)
        urls = []
        for _ in range(args.replicas):
            http = free_port()
            env = base_env | {"BOOKING_HTTP_PORT": str(http), "BOOKING_GRPC_PORT": str(free_port())}
            processes.append(
                await asyncio.to_thread(
                    subprocess.Popen,
                    [sys.executable, "-m", "booking.cli", "serve"],
                    env=env,
                    cwd=ROOT,
                    stdin=subprocess.DEVNULL,
                )
            )
            urls.append(f"http://127.0.0.1:{http}")
        async with httpx.AsyncClient() as client:
            for replica in urls:
                for _ in range(300):
                    try:
                        if (await client.get(f"{replica}/readyz")).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    await asyncio.sleep(0.2)
        token = issuer.token(roles=["ENTERPRISE_USER"])
        await load(urls, token, slots[:2], 1, args.workers)  # warm up (fills two slots)
        await load(urls, token, slots[2:], args.seconds, args.workers)
        await check(url)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)
        await doubles.stop(grace=None)
        issuer.close()
        broker.stop()
        postgres.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.booking")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=64)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--capacity", type=int, default=10, help="seats per slot")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
