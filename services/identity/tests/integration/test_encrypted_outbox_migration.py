"""Outbox payloads of the previous revision (`identity.account.*` events carry the phone) are
encrypted in place by migration 0007, read back through the outbox table, rotated, and given
back in clear by the downgrade."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from devstack.data_keys import key_env
from devstack.infra import Postgres
from identity.db import metadata, outbox, vault
from servicekit.crypto import KeyRing
from servicekit.crypto.rotation import rotate
from servicekit.events import CloudEvent

from .test_data_protection import migrate, restore_vault

__all__ = ["restore_vault"]  # the fixture, used by name

PHONE = "13912340001"
EVENTS = [
    CloudEvent(
        type="identity.account.approved",
        source="/services/identity",
        subject=str(uuid.uuid4()),
        data={"accountId": str(uuid.uuid4()), "phone": PHONE, "n": n},
    )
    for n in range(3)
]
INSERT = (
    "INSERT INTO outbox (event_id, event_type, topic, key, payload, sent_at) VALUES (:event_id,"
    " 'identity.account.approved', 'identity.account.v1', :key, :payload, :sent)"
)


async def stored(url: str) -> list[bytes]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT payload FROM outbox ORDER BY id"))
        found = [bytes(row[0]) for row in rows]
    await engine.dispose()
    return found


async def test_outbox_payloads_are_encrypted_rotated_and_decrypted_back(
    postgres: Postgres, tmp_path: Path, restore_vault: None
) -> None:
    url = await postgres.ensure_database(f"test_identity_outbox_{uuid.uuid4().hex[:8]}", fresh=True)
    old, new, index_key = os.urandom(32), os.urandom(32), os.urandom(32)
    migrate(url, key_env("identity", tmp_path, {"k1": old}, "k1", index_key), "upgrade", "0006")
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        for n, event in enumerate(EVENTS):  # sent rows are kept: they must be converted too
            values = {"event_id": event.id, "key": event.subject, "payload": event.to_json()}
            sent = None if n == 0 else datetime.now(UTC)
            await connection.execute(text(INSERT), {**values, "sent": sent})

    migrate(url, key_env("identity", tmp_path, {"k1": old}, "k1", index_key), "upgrade", "head")
    for payload in await stored(url):
        assert payload.startswith(b"v1:k1:")
        assert PHONE.encode() not in payload

    vault.use(KeyRing({"k1": old}, "k1", index_key))
    sessions = async_sessionmaker(engine)
    async with sessions() as session:
        read = list(await session.scalars(select(outbox.c.payload).order_by(outbox.c.id)))
    assert read == [event.to_json() for event in EVENTS]

    rotated = KeyRing({"k1": old, "k2": new}, "k2", index_key)
    assert (await rotate(engine, metadata, rotated, batch=2))["outbox"] == len(EVENTS)
    assert set((await rotate(engine, metadata, rotated)).values()) == {0}
    await engine.dispose()

    migrate(url, key_env("identity", tmp_path, {"k2": new}, "k2", index_key), "downgrade", "0006")
    assert await stored(url) == [event.to_json() for event in EVENTS]
