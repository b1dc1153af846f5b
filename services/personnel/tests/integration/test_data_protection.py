"""Personal numbers at rest: rows of the previous revision are encrypted by the migration, raw
SQL (what pg_dump copies) shows no clear number, rotation moves every value to the new key, and
the downgrade gives the clear columns back."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from devstack.data_keys import alembic, key_env, raw_rows, run_in_production
from devstack.infra import Postgres
from personnel.applications import repository as applications
from personnel.db import metadata, vault
from personnel.people import repository
from personnel.people.models import TravelDocumentType
from servicekit.crypto import KeyRing
from servicekit.crypto.rotation import rotate

PEOPLE = [
    ("E12345678", "V0012345", "13912345678"),
    ("G87654321", None, None),
    ("K11223344", "V0099887", "13800001111"),
]


HOME_ID, LICENCE, ISSUED = "A123456(7)", "440100202611250001", "370220260000042"
APPLICATION = (
    "INSERT INTO employment_applications (id, number, enterprise_id, foreign_person_id, kind,"
    " submission, review, revision, tips_acknowledged, requirements_acknowledged, form,"
    " licence_number, issued_number, created_by) SELECT :id, 'SQ2026000001', enterprise_id, id,"
    " 'REGISTRATION', 'SUBMITTED', 'PASSED', 1, true, true, CAST(:form AS jsonb), :licence,"
    " :issued, enterprise_id FROM foreign_persons WHERE document_number = 'E12345678'"
)


async def insert_people(url: str, enterprise_id: uuid.UUID) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        for document, visa, mobile in PEOPLE:
            await connection.execute(
                text(
                    "INSERT INTO foreign_persons (id, enterprise_id, surname, given_names, sex,"
                    " birth_date, nationality, document_type, document_number, document_expiry,"
                    " visa_number, mobile, created_by) VALUES (:id, :e, 'Doe', 'Jane', 'FEMALE',"
                    " '1990-01-01', 'USA', 'PASSPORT', :d, '2030-01-01', :v, :m, :e)"
                ),
                {"id": uuid.uuid4(), "e": enterprise_id, "d": document, "v": visa, "m": mobile},
            )
        form = json.dumps({"homeIdNumber": HOME_ID})
        values = {"id": uuid.uuid4(), "form": form, "licence": LICENCE, "issued": ISSUED}
        await connection.execute(text(APPLICATION), values)
    await engine.dispose()


@pytest.fixture
def restore_vault() -> Iterator[None]:
    before = vault._ring
    yield
    vault._ring = before


async def test_existing_rows_are_encrypted_rotated_and_decrypted_back(
    postgres: Postgres, tmp_path: Path, restore_vault: None
) -> None:
    url = await postgres.ensure_database(
        f"test_personnel_crypto_{uuid.uuid4().hex[:8]}", fresh=True
    )
    old, new, index_key = os.urandom(32), os.urandom(32), os.urandom(32)
    env = key_env("personnel", tmp_path, {"k1": old}, "k1", index_key)
    alembic("personnel", url, env, "upgrade", "0003")
    enterprise_id = uuid.uuid4()
    await insert_people(url, enterprise_id)

    alembic("personnel", url, env, "upgrade", "head")
    rows = await raw_rows(url, "foreign_persons")
    assert len(rows) == len(PEOPLE)
    for row in rows:
        assert not any(value in row for person in PEOPLE for value in person if value)
        assert json.loads(row)["document_number"].startswith("v1:k1:")
    (application,) = await raw_rows(url, "employment_applications")
    for clear in (HOME_ID, LICENCE, ISSUED):
        assert clear not in application

    vault.use(KeyRing({"k1": old}, "k1", index_key))
    engine = create_async_engine(url)
    sessions = async_sessionmaker(engine)
    async with sessions() as session:
        found = await repository.by_document(
            session, enterprise_id, TravelDocumentType.PASSPORT, "e1234 5678"
        )
        assert found is not None
        assert (found.document_number, found.visa_number, found.mobile) == PEOPLE[0]
        issued = await applications.by_issued_number(session, ISSUED)
        assert issued is not None
        assert (issued.licence_number, issued.form) == (LICENCE, {"homeIdNumber": HOME_ID})

    rotated = KeyRing({"k1": old, "k2": new}, "k2", index_key)
    counts = await rotate(engine, metadata, rotated, batch=2)
    assert {t: counts[t] for t in ("foreign_persons", "employment_applications")} == {
        "foreign_persons": 3,
        "employment_applications": 1,
    }
    assert set((await rotate(engine, metadata, rotated, batch=2)).values()) == {0}
    vault.use(KeyRing({"k2": new}, "k2", index_key))  # the old key is no longer needed
    async with sessions() as session:
        people, total = await repository.search(session, enterprise_id, "K11223344", 0, 10)
        assert total == 1
        assert (people[0].document_number, people[0].visa_number, people[0].mobile) == PEOPLE[2]
    await engine.dispose()

    env = key_env("personnel", tmp_path, {"k2": new}, "k2", index_key)
    alembic("personnel", url, env, "downgrade", "0003")
    clear = sorted(
        (row["document_number"], row["visa_number"], row["mobile"])
        for row in map(json.loads, await raw_rows(url, "foreign_persons"))
    )
    assert clear == sorted(PEOPLE, key=lambda person: person[0])
    (application,) = map(json.loads, await raw_rows(url, "employment_applications"))
    assert (application["issued_number"], application["form"]) == (
        ISSUED,
        {"homeIdNumber": HOME_ID},
    )


def test_the_rotation_command_reencrypts_under_the_active_key(
    postgres: Postgres, tmp_path: Path
) -> None:
    url = asyncio.run(
        postgres.ensure_database(f"test_personnel_rot_{uuid.uuid4().hex[:8]}", fresh=True)
    )
    old, new, index_key = os.urandom(32), os.urandom(32), os.urandom(32)
    env = key_env("personnel", tmp_path, {"k1": old}, "k1", index_key)
    alembic("personnel", url, env, "upgrade", "0003")
    asyncio.run(insert_people(url, uuid.uuid4()))
    alembic("personnel", url, env, "upgrade", "head")

    env = key_env("personnel", tmp_path, {"k1": old, "k2": new}, "k2", index_key)
    command = ["servicekit.crypto", "rotate", "--service", "personnel"]
    first = run_in_production("personnel", url, env, *command)
    again = run_in_production("personnel", url, env, *command)
    assert b"foreign_persons: 3 rows re-encrypted under k2" in first.stdout
    assert b"foreign_persons: 0 rows" in again.stdout
    for row in map(json.loads, asyncio.run(raw_rows(url, "foreign_persons"))):
        assert row["document_number"].startswith("v1:k2:")
        assert row["mobile"] is None or row["mobile"].startswith("v1:k2:")
