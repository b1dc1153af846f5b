"""Outbox payloads and application audit details of the previous revision are encrypted by
migration 0005 (raw SQL shows no issued number), read back through the models, rotated, and
given back in clear by the downgrade."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from devstack.data_keys import alembic, key_env, raw_rows
from devstack.infra import Postgres
from personnel.applications.models import ApplicationAudit
from personnel.db import metadata, outbox, vault
from servicekit.crypto import KeyRing
from servicekit.crypto.rotation import rotate
from servicekit.events import CloudEvent

from .test_data_protection import restore_vault

__all__ = ["restore_vault"]  # the fixture, used by name

ISSUED = "370220260000042"
DETAIL = {"revision": 1, "reason": "", "issuedNumber": ISSUED}
EVENT = CloudEvent(
    type="personnel.application.approved",
    source="/services/personnel",
    subject=str(uuid.uuid4()),
    data={"applicationId": "a", "issuedNumber": ISSUED},
)
INSERTS = [
    "INSERT INTO outbox (event_id, event_type, topic, key, payload) VALUES (:event_id,"
    " 'personnel.application.approved', 'personnel.application.v1', :key, :payload)",
    "INSERT INTO application_audit (actor_id, actor_roles, action, application_id,"
    " enterprise_id, detail) VALUES (:actor, '[\"LABOUR_OFFICER\"]', 'application.passed',"
    " :application, :enterprise, CAST(:detail AS jsonb))",
]


async def test_outbox_and_audit_rows_are_encrypted_rotated_and_decrypted_back(
    postgres: Postgres, tmp_path: Path, restore_vault: None
) -> None:
    url = await postgres.ensure_database(
        f"test_personnel_outbox_{uuid.uuid4().hex[:8]}", fresh=True
    )
    old, new, index_key = os.urandom(32), os.urandom(32), os.urandom(32)
    env = key_env("personnel", tmp_path, {"k1": old}, "k1", index_key)
    alembic("personnel", url, env, "upgrade", "0004")
    values = {
        "event_id": EVENT.id,
        "key": EVENT.subject,
        "payload": EVENT.to_json(),
        "actor": uuid.uuid4(),
        "application": uuid.uuid4(),
        "enterprise": uuid.uuid4(),
        "detail": json.dumps(DETAIL),
    }
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        for insert in INSERTS:
            await connection.execute(text(insert), values)

    alembic("personnel", url, env, "upgrade", "head")
    backup = "\n".join(await raw_rows(url, "outbox", "application_audit"))
    assert ISSUED not in backup
    assert backup.count('"v1:k1:') == 1  # the detail; the payload is bytea (hex in JSON)
    async with engine.connect() as connection:
        payload = bytes(await connection.scalar(text("SELECT payload FROM outbox")))
    assert payload.startswith(b"v1:k1:")
    assert ISSUED.encode() not in payload

    vault.use(KeyRing({"k1": old}, "k1", index_key))
    sessions = async_sessionmaker(engine)
    async with sessions() as session:
        assert await session.scalar(select(outbox.c.payload)) == EVENT.to_json()
        assert await session.scalar(select(ApplicationAudit.detail)) == DETAIL

    rotated = KeyRing({"k1": old, "k2": new}, "k2", index_key)
    counts = await rotate(engine, metadata, rotated)
    assert (counts["outbox"], counts["application_audit"]) == (1, 1)
    assert set((await rotate(engine, metadata, rotated)).values()) == {0}
    await engine.dispose()

    env = key_env("personnel", tmp_path, {"k2": new}, "k2", index_key)
    alembic("personnel", url, env, "downgrade", "0004")
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        payload = bytes(await connection.scalar(text("SELECT payload FROM outbox")))
        detail = await connection.scalar(text("SELECT detail FROM application_audit"))
    await engine.dispose()
    assert payload == EVENT.to_json()
    assert detail == DETAIL
