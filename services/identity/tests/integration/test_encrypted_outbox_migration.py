"""Outbox payloads of the previous revision (`identity.account.*` events carry the phone) are
encrypted in place by migration 0007, read back through the outbox table, rotated, and given
back in clear by the downgrade."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from devstack.infra import Postgres
from identity.db import metadata, outbox, vault
from servicekit.crypto import KeyRing, rotate
from servicekit.events import CloudEvent

ROOT = Path(__file__).resolve().parents[4]
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


def key_env(folder: Path, keys: dict[str, bytes], active: str, index_key: bytes) -> dict[str, str]:
    keys_file, index_file = folder / "data-keys.json", folder / "data-index.key"
    encoded = {kid: base64.urlsafe_b64encode(key).decode() for kid, key in keys.items()}
    keys_file.write_text(json.dumps(encoded))
    index_file.write_text(base64.urlsafe_b64encode(index_key).decode())
    return {
        "IDENTITY_DATA_KEYS_FILE": str(keys_file),
        "IDENTITY_DATA_INDEX_KEY_FILE": str(index_file),
        "IDENTITY_DATA_KEY_ID": active,
    }


def alembic(url: str, env: dict[str, str], *args: str) -> None:
    """Production settings (APP_ENV unset): the keys must come from the files."""
    environment = {k: v for k, v in os.environ.items() if k != "APP_ENV"}
    environment.update(env, IDENTITY_DATABASE_URL=url, IDENTITY_CODE_HASH_SECRET="test-secret")
    ini = str(ROOT / "services/identity/alembic.ini")
    subprocess.run(
        [sys.executable, "-m", "alembic", "-c", ini, *args], env=environment, check=True, cwd=ROOT
    )


async def stored(url: str) -> list[bytes]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT payload FROM outbox ORDER BY id"))
        found = [bytes(row[0]) for row in rows]
    await engine.dispose()
    return found


@pytest.fixture
def restore_vault() -> Iterator[None]:
    before = vault._ring
    yield
    vault._ring = before


async def test_outbox_payloads_are_encrypted_rotated_and_decrypted_back(
    postgres: Postgres, tmp_path: Path, restore_vault: None
) -> None:
    url = await postgres.ensure_database(f"test_identity_outbox_{uuid.uuid4().hex[:8]}", fresh=True)
    old, new, index_key = os.urandom(32), os.urandom(32), os.urandom(32)
    alembic(url, key_env(tmp_path, {"k1": old}, "k1", index_key), "upgrade", "0006")
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        for n, event in enumerate(EVENTS):  # sent rows are kept: they must be converted too
            values = {"event_id": event.id, "key": event.subject, "payload": event.to_json()}
            sent = None if n == 0 else datetime.now(UTC)
            await connection.execute(text(INSERT), {**values, "sent": sent})

    alembic(url, key_env(tmp_path, {"k1": old}, "k1", index_key), "upgrade", "head")
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

    alembic(url, key_env(tmp_path, {"k2": new}, "k2", index_key), "downgrade", "0006")
    assert await stored(url) == [event.to_json() for event in EVENTS]
