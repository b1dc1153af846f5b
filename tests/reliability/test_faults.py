"""Faults injected into the running platform while events and requests flow; every test counts
rows in the producer's and the consumer's databases afterwards: 0 lost, 0 duplicated effects,
and the producer's outbox drained. See README.md in this directory."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from devstack.stack import Stack

from .flow import (
    Row,
    acknowledged,
    counts,
    drained,
    import_rows,
    metric,
    query,
    report,
    rows,
    until,
)

DUPLICATES = ("inbox_events_duplicate_total", 'type="identity.account.imported"')
INTERNALS = ("Traceback", "asyncpg", "sqlalchemy", "psycopg", "pgdata", ".s.PGSQL", 'File "')


@dataclass
class Client:
    """A client that sends its rows one call each and retries a call until the server
    acknowledges it: a failed call may still have committed, and the import is idempotent by
    phone, so a retry then answers `unchanged`."""

    rows: list[Row]
    acknowledged: list[Row] = field(default_factory=list)
    first_try: int = 0
    failures: int = 0
    committed_though_failed: int = 0  # acknowledged as `unchanged` after a failed attempt
    errors: list[str] = field(default_factory=list)
    hung: int = 0

    async def run(self, api: httpx.AsyncClient, token: str) -> None:
        for row in self.rows:
            await self._until_acknowledged(api, token, row)

    async def _until_acknowledged(self, api: httpx.AsyncClient, token: str, row: Row) -> None:
        failed = False
        async with asyncio.timeout(180):
            while True:
                try:
                    body = await import_rows(api, token, [row])
                except httpx.TimeoutException:
                    self.hung += 1
                    body = {"errors": [{"message": "client timeout"}]}
                except (httpx.HTTPError, ValueError) as exc:  # connection refused, non-JSON body
                    body = {"errors": [{"message": f"{type(exc).__name__}"}]}
                if acknowledged(body, 1):
                    self._acknowledge(row, body, failed)
                    return
                failed = True
                self.failures += 1
                self.errors.append(_error_text(body))
                await asyncio.sleep(0.2)

    def _acknowledge(self, row: Row, body: dict[str, Any], failed: bool) -> None:
        self.acknowledged.append(row)
        report_ = body["data"]["importLegacyAccounts"]
        if not failed:
            self.first_try += 1
        elif report_["unchanged"]:
            self.committed_though_failed += 1


def _error_text(body: dict[str, Any]) -> str:
    errors = body.get("errors") or [{"message": str(body)[:200]}]
    first = errors[0]
    return f"{first.get('extensions', {}).get('code')}: {first.get('message')}"


async def names(stack: Stack, database: str, table: str, pattern: str) -> list[str]:
    found = await query(
        stack,
        database,
        f"select coalesce(array_agg(name), '{{}}') from {table} where name like $1",
        pattern,
    )
    return list(found)


async def effects(stack: Stack, tag: str) -> int:
    value: int = await query(
        stack,
        "filing",
        "select count(*) from enterprises where is_legacy and name like $1",
        f"{tag}企业%",
    )
    return value


async def accounts(stack: Stack, tag: str) -> int:
    value: int = await query(
        stack, "identity", "select count(*) from accounts where name like $1", f"{tag}-%"
    )
    return value


def assert_exactly_once(found: Any, expected: int) -> None:
    assert found.accounts == expected, found
    assert found.enterprises == expected, found
    assert found.liaisons == expected, found
    assert found.projections == expected, found
    assert found.duplicated == 0, found
    assert found.unsent == 0, found


async def test_broker_killed_mid_stream_loses_and_duplicates_nothing(
    platform: Stack, api: httpx.AsyncClient, admin: str
) -> None:
    """Imports keep coming in batches of 10 while the broker is killed (SIGKILL) and brought
    back on its durable store: identity keeps accepting them (the outbox holds the events), and
    filing gets each once, those the broker had acknowledged before the crash included."""
    assert platform.broker is not None
    tag, batches = "R1", [rows("R1", 1, start, 10) for start in range(0, 300, 10)]
    total = sum(len(batch) for batch in batches)
    duplicates_before = await metric(platform, "filing", *DUPLICATES) or 0.0

    async def stream() -> None:
        for batch in batches:
            body = await import_rows(api, admin, batch)
            assert acknowledged(body, len(batch)), body  # identity does not need the broker
            await asyncio.sleep(0.2)  # a stream of 6 s or more: most of it comes after the kill

    streaming = asyncio.create_task(stream())
    try:
        await until(lambda: _at_least(effects(platform, tag), 20), every=0.05)
        at_kill = await effects(platform, tag)
        platform.broker.kill()
        # 40 more imports than identity had when the broker died: their events cannot leave.
        accepted_at_kill = await accounts(platform, tag)
        more = min(accepted_at_kill + 40, total)
        await until(lambda: _at_least(accounts(platform, tag), more), every=0.1)
        unsent_while_down = (await counts(platform, tag)).unsent
        await platform.broker.astart()
        await streaming
    finally:
        streaming.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await streaming
        if platform.broker.process is None:
            await platform.broker.astart()

    found = await drained(platform, tag, None)
    duplicates = (await metric(platform, "filing", *DUPLICATES) or 0.0) - duplicates_before
    report(
        "broker killed",
        events=total,
        effects_when_killed=at_kill,
        outbox_unsent_while_down=unsent_while_down,
        accounts=found.accounts,
        effects=found.enterprises,
        redeliveries_skipped=duplicates,
        unsent_after=found.unsent,
    )
    assert found.accounts == total and found.unsent == 0, found
    assert found.duplicated == 0, found
    if unsent_while_down == 0:
        # On a loaded machine the relay may publish the whole stream before the kill lands:
        # then the outage was not exercised, which is said rather than counted as a pass.
        pytest.skip("the relay had published every event before the broker was killed")
    assert_exactly_once(found, total)


async def test_consumer_killed_mid_batch_loses_and_duplicates_nothing(
    platform: Stack, api: httpx.AsyncClient, admin: str
) -> None:
    """Filing is killed (-9) while it handles a burst of 80 events; more arrive while it is
    dead; restarted, it re-reads what it had not committed and the inbox drops what it had
    already handled."""
    tag, bursts = "R2", [rows("R2", 2, start, 80) for start in range(0, 240, 80)]
    total = sum(len(burst) for burst in bursts)
    body = await import_rows(api, admin, bursts[0])
    assert acknowledged(body, len(bursts[0])), body
    await until(lambda: _at_least(effects(platform, tag), 1), every=0.02)
    platform.kill_service("filing")
    at_kill = await effects(platform, tag)
    try:
        for burst in bursts[1:]:
            body = await import_rows(api, admin, burst)
            assert acknowledged(body, len(burst)), body
    finally:
        await asyncio.to_thread(platform.start_service, "filing")

    found = await drained(platform, tag, total)
    report(
        "consumer killed",
        events=total,
        effects_when_killed=at_kill,
        accounts=found.accounts,
        effects=found.enterprises,
        redeliveries_skipped_after_restart=await metric(platform, "filing", *DUPLICATES),
        unsent_after=found.unsent,
    )
    assert at_kill < len(bursts[0])  # killed mid-burst, not after it
    assert_exactly_once(found, total)


async def test_service_restarted_during_a_request_burst_keeps_every_acknowledged_write(
    platform: Stack, api: httpx.AsyncClient, admin: str
) -> None:
    """Four clients send imports to identity's subgraph while identity is killed (-9) and
    restarted: every write a client was told succeeded exists once, in identity and (by event)
    in filing; a call that failed but had committed is answered `unchanged` on retry."""
    tag = "R3"
    clients = [Client(rows(tag, 3, 1000 * c, 40)) for c in range(4)]
    total = sum(len(client.rows) for client in clients)
    running = [asyncio.create_task(client.run(api, admin)) for client in clients]
    try:
        await until(lambda: _at_least(accounts(platform, tag), 30), every=0.05)
        at_kill = await accounts(platform, tag)
        platform.kill_service("identity")
        await asyncio.to_thread(platform.start_service, "identity")
        await asyncio.gather(*running)
    finally:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        if "identity" not in platform.processes:
            await asyncio.to_thread(platform.start_service, "identity")

    found = await drained(platform, tag, total)
    told = {row.name for client in clients for row in client.acknowledged}
    stored = await names(platform, "identity", "accounts", f"{tag}-%")
    report(
        "service restarted",
        requests=total,
        acknowledged=len(told),
        acknowledged_first_try=sum(c.first_try for c in clients),
        failed_attempts=sum(c.failures for c in clients),
        committed_though_failed=sum(c.committed_though_failed for c in clients),
        accounts_when_killed=at_kill,
        accounts=found.accounts,
        effects=found.enterprises,
        unsent_after=found.unsent,
    )
    assert sum(c.failures for c in clients) > 0  # the restart really hit the burst
    assert told <= set(stored)
    assert len(stored) == len(set(stored)) == total
    assert_exactly_once(found, total)


async def test_postgres_stopped_briefly_services_recover_without_restart(
    platform: Stack, api: httpx.AsyncClient, admin: str
) -> None:
    """PostgreSQL stops for a few seconds while two clients send imports and filing handles a
    burst of events: requests fail cleanly while it is down; afterwards the same processes
    serve again, the relay drains the outbox and the consumer finishes the burst."""
    assert platform.postgres is not None
    tag = "R4"
    pids = {name: process.pid for name, process in platform.processes.items()}
    burst = rows(tag, 4, 90_000, 80)
    clients = [Client(rows(tag, 4, 1000 * c, 60)) for c in range(2)]
    total = len(burst) + sum(len(client.rows) for client in clients)
    body = await import_rows(api, admin, burst)
    assert acknowledged(body, len(burst)), body
    await until(lambda: _at_least(effects(platform, tag), 1), every=0.02)  # filing is at it
    running = [asyncio.create_task(client.run(api, admin)) for client in clients]
    try:
        # The clients are sending (a few of their rows are in): the outage lands mid-stream.
        await until(lambda: _at_least(accounts(platform, tag), len(burst) + 4), every=0.02)
        await asyncio.to_thread(platform.postgres.stop_server)
        await asyncio.sleep(5)  # the outage: clients keep sending meanwhile
        await asyncio.to_thread(platform.postgres.start_server)
        await asyncio.gather(*running)
    finally:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)

    for name in ("identity", "filing"):
        await until(lambda name=name: _ready(platform, name))
    found = await drained(platform, tag, total)
    errors = sorted({text for client in clients for text in client.errors})
    report(
        "postgres stopped",
        events=total,
        failed_attempts=sum(c.failures for c in clients),
        hung_requests=sum(c.hung for c in clients),
        committed_though_failed=sum(c.committed_though_failed for c in clients),
        accounts=found.accounts,
        effects=found.enterprises,
        unsent_after=found.unsent,
        dead_lettered=await metric(platform, "filing", "inbox_events_dead_lettered_total"),
        errors_seen=errors,
    )
    assert {name: process.pid for name, process in platform.processes.items()} == pids
    assert all(process.poll() is None for process in platform.processes.values())
    assert sum(c.failures for c in clients) > 0  # the outage really hit the clients
    assert sum(c.hung for c in clients) == 0
    assert not [text for text in errors if any(word in text for word in INTERNALS)], errors
    assert_exactly_once(found, total)


async def _at_least(value: Any, minimum: int) -> bool:
    return bool(await value >= minimum)


async def _ready(stack: Stack, name: str) -> bool:
    async with httpx.AsyncClient(timeout=5) as client:
        with contextlib.suppress(httpx.HTTPError):
            return (await client.get(f"{stack.service_url(name)}/readyz")).status_code == 200
    return False
