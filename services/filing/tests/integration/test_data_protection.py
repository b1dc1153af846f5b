"""Personal numbers at rest: rows of the previous revision (liaisons, the account projection,
form data) are encrypted by the migration, raw SQL (what pg_dump copies) shows no clear ID
number or phone, the service's look-ups still find them, and the downgrade gives them back."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from devstack.data_keys import alembic, key_env, raw_rows
from devstack.infra import Postgres
from filing.db import metadata, vault
from filing.enterprises import repository
from servicekit.crypto import KeyRing
from servicekit.crypto.rotation import rotate

ID_NUMBER, MOBILE, LEGAL_ID = "370202199001011234", "13912340011", "370203198805054321"
FORM = {"enterprise_name": "青岛某公司", "legal_representative": {"id_number": LEGAL_ID}}


INSERTS = [
    "INSERT INTO enterprises (id, name, uscc, status, data, created_at, updated_at)"
    " VALUES (:e, '青岛某公司', '91370200MA3C0000X1', 'FILED', CAST(:form AS jsonb), now(), now())",
    "INSERT INTO liaisons (id, enterprise_id, account_id, name, id_type, id_number, mobile,"
    " position_order) VALUES (:l, :e, :a, '王联络', 'RESIDENT_ID', :id_number, :mobile, 0)",
    "INSERT INTO account_projection (account_id, name, phone, status, updated_at)"
    " VALUES (:a, '王联络', :mobile, 'ACTIVE', now())",
    "INSERT INTO filings (id, enterprise_id, record_type, status, revision, data, created_by,"
    " created_at, updated_at, version) VALUES (:f, :e, 'NEW', 'APPROVED', 1,"
    " CAST(:form AS jsonb), :a, now(), now(), 1)",
    "INSERT INTO filing_revisions (filing_id, revision, data, submitted_by, submitted_at)"
    " VALUES (:f, 1, CAST(:form AS jsonb), :a, now())",
]
TABLES = ("enterprises", "liaisons", "account_projection", "filings", "filing_revisions")


@pytest.fixture
def restore_vault() -> Iterator[None]:
    before = vault._ring
    yield
    vault._ring = before


async def test_liaisons_and_form_data_are_encrypted_by_the_migration(
    postgres: Postgres, tmp_path: Path, restore_vault: None
) -> None:
    url = await postgres.ensure_database(f"test_filing_crypto_{uuid.uuid4().hex[:8]}", fresh=True)
    old, new, index_key = os.urandom(32), os.urandom(32), os.urandom(32)
    alembic(
        "filing", url, key_env("filing", tmp_path, {"k1": old}, "k1", index_key), "upgrade", "0004"
    )
    ids = {k: uuid.uuid4() for k in "elaf"}
    values = {**ids, "id_number": ID_NUMBER, "mobile": MOBILE, "form": json.dumps(FORM)}
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        for insert in INSERTS:
            await connection.execute(text(insert), values)

    alembic(
        "filing", url, key_env("filing", tmp_path, {"k1": old}, "k1", index_key), "upgrade", "head"
    )
    backup = "\n".join(await raw_rows(url, *TABLES))
    for clear in (ID_NUMBER, MOBILE, LEGAL_ID):
        assert clear not in backup

    vault.use(KeyRing({"k1": old}, "k1", index_key))
    sessions = async_sessionmaker(engine)
    async with sessions() as session:
        assert await repository.active_accounts_by_phone(session, [MOBILE]) == {MOBILE: ids["a"]}
        liaisons = await repository.liaisons_of(session, [ids["e"]])
        assert [(x.id_number, x.mobile) for x in liaisons[ids["e"]]] == [(ID_NUMBER, MOBILE)]
        enterprise = await repository.enterprise(session, ids["e"])
        assert enterprise is not None
        assert enterprise.data == FORM
        filing = await repository.filing(session, ids["f"])
        assert filing is not None
        assert filing.data == FORM

    rotated = KeyRing({"k1": old, "k2": new}, "k2", index_key)
    counts = await rotate(engine, metadata, rotated)
    assert {table: counts[table] for table in TABLES} == dict.fromkeys(TABLES, 1)
    assert set((await rotate(engine, metadata, rotated)).values()) == {0}
    await engine.dispose()

    alembic(
        "filing",
        url,
        key_env("filing", tmp_path, {"k2": new}, "k2", index_key),
        "downgrade",
        "0004",
    )
    backup = "\n".join(await raw_rows(url, *TABLES))
    for clear in (ID_NUMBER, MOBILE, LEGAL_ID):
        assert clear in backup
