"""Outbox payloads encrypted at rest, against a real PostgreSQL and a real Tansu broker: the row
holds no clear personal number, the relay still publishes the event as recorded, the migration
helpers convert rows in place both ways, and rotation covers the binary column."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from devstack.infra import Broker, Postgres
from servicekit.crypto import DataVault, KeyRing
from servicekit.crypto.migrations import ClearColumn, decrypt_binary_column, encrypt_binary_column
from servicekit.crypto.rotation import rotate
from servicekit.db import Database, make_engine, new_metadata
from servicekit.events import CloudEvent
from servicekit.inbox import EventConsumer, inbox_table
from servicekit.outbox import Outbox, OutboxRelay, outbox_table
from servicekit.settings import KafkaSettings

PHONE = "13912345678"
OLD_KEY, NEW_KEY, INDEX_KEY = os.urandom(32), os.urandom(32), os.urandom(32)
vault = DataVault("kit")
vault.use(KeyRing({"k1": OLD_KEY}, "k1", INDEX_KEY))
metadata = new_metadata()
outbox = outbox_table(metadata, vault)
inbox = inbox_table(metadata)
clear_metadata = new_metadata()
clear_outbox = outbox_table(clear_metadata)  # the same table as a service without a vault
PAYLOAD = ClearColumn("outbox", "payload")


@pytest.fixture
async def db(postgres: Postgres) -> AsyncIterator[Database]:
    url = await postgres.ensure_database(f"kit_vault_{uuid.uuid4().hex[:8]}", fresh=True)
    database = Database(make_engine(url, 5))
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    vault.use(KeyRing({"k1": OLD_KEY}, "k1", INDEX_KEY))
    yield database
    await database.dispose()


async def stored_payloads(db: Database) -> list[bytes]:
    """The payload column as a backup holds it (no type decorator)."""
    async with db.engine.connect() as connection:
        rows = await connection.execute(text("SELECT payload FROM outbox ORDER BY id"))
        return [bytes(row[0]) for row in rows]


async def record(db: Database, table: Any, data: dict[str, object]) -> CloudEvent:
    async with db.unit_of_work() as session:
        return await Outbox(table, "/services/test").record(
            session, "filing.liaison.changed", str(uuid.uuid4()), data
        )


async def test_a_recorded_event_is_stored_encrypted_and_published_in_clear(
    db: Database, broker: Broker
) -> None:
    event = await record(db, outbox, {"liaisons": [{"mobile": PHONE}]})
    (stored,) = await stored_payloads(db)
    assert stored.startswith(b"v1:k1:")
    assert PHONE.encode() not in stored
    assert event.id.encode() not in stored  # nothing of the event is readable

    consumed: list[CloudEvent] = []

    async def handler(session: AsyncSession, received: CloudEvent) -> None:
        if received.id == event.id:
            consumed.append(received)

    kafka = KafkaSettings(bootstrap_servers=broker.bootstrap)
    relay = OutboxRelay(db, outbox, kafka, poll_seconds=0.2)
    consumer = EventConsumer(
        db,
        inbox,
        kafka,
        group_id=f"vault-{uuid.uuid4().hex}",
        handlers={"filing.liaison.changed": handler},
    )
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(consumer.run())]
    try:
        async with asyncio.timeout(20):
            while not consumed:
                await asyncio.sleep(0.1)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert consumed[0].data == {"liaisons": [{"mobile": PHONE}]}
    assert consumed[0].subject == event.subject
    async with db.unit_of_work() as session:
        sent = await session.scalar(text("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL"))
    assert sent == 1


def convert(connection: Connection, step: Any) -> None:
    step(Operations(MigrationContext.configure(connection)), PAYLOAD, vault, batch=2)


async def test_clear_rows_are_encrypted_in_place_rotated_and_decrypted_back(
    db: Database,
) -> None:
    events = [await record(db, clear_outbox, {"mobile": f"1391234000{n}"}) for n in range(5)]
    clear = await stored_payloads(db)
    assert clear == [e.to_json() for e in events]

    async with db.engine.begin() as connection:
        await connection.run_sync(convert, encrypt_binary_column)
    encrypted = await stored_payloads(db)
    assert all(p.startswith(b"v1:k1:") and b"1391234000" not in p for p in encrypted)
    async with db.engine.begin() as connection:  # a second run leaves encrypted rows alone
        await connection.run_sync(convert, encrypt_binary_column)
    assert await stored_payloads(db) == encrypted
    async with db.unit_of_work() as session:
        read = (await session.execute(outbox.select().order_by(outbox.c.id))).all()
    assert [row.payload for row in read] == clear

    # A row the previous release wrote in clear during the rollout: read as it is, then
    # encrypted by the rotation with everything else.
    late = await record(db, clear_outbox, {"mobile": PHONE})
    async with db.unit_of_work() as session:
        payload = await session.scalar(select(outbox.c.payload).where(outbox.c.event_id == late.id))
    assert payload == late.to_json()
    rotated = KeyRing({"k1": OLD_KEY, "k2": NEW_KEY}, "k2", INDEX_KEY)
    assert await rotate(db.engine, metadata, rotated, batch=2) == {"outbox": 6}
    assert await rotate(db.engine, metadata, rotated, batch=2) == {"outbox": 0}
    after = await stored_payloads(db)
    assert all(p.startswith(b"v1:k2:") and b"1391234" not in p for p in after)

    vault.use(KeyRing({"k2": NEW_KEY}, "k2", INDEX_KEY))  # the old key is no longer needed
    async with db.engine.begin() as connection:
        await connection.run_sync(convert, decrypt_binary_column)
    assert await stored_payloads(db) == [*clear, late.to_json()]
    assert json.loads((await stored_payloads(db))[-1])["data"] == {"mobile": PHONE}
