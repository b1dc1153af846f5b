"""Phones and notification texts at rest: rows of the previous revision are encrypted by the
migration, raw SQL (what pg_dump copies) shows no clear phone or code, sign-in still finds the
account by phone, and the downgrade gives the clear columns back."""

from __future__ import annotations

import os
import random
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from devstack.data_keys import alembic, key_env, raw_rows
from devstack.infra import Postgres
from devstack.testing import graphql
from identity.accounts import repository
from identity.config import IdentitySettings
from identity.db import metadata, vault
from identity.verification import repository as codes
from identity.verification.models import CodePurpose
from servicekit.crypto import KeyRing
from servicekit.crypto.rotation import rotate

PHONE, OTHER = "13912340001", "13912340002"


def migrate(url: str, env: dict[str, str], *args: str) -> None:
    alembic("identity", url, {**env, "IDENTITY_CODE_HASH_SECRET": "test-secret"}, *args)


INSERTS = [
    "INSERT INTO accounts (id, username, phone, name, password_hash, roles, status,"
    " password_change_required) VALUES (:a, :p, :p, '王联络', 'x', '{ENTERPRISE_USER}', 'ACTIVE',"
    " false)",
    "INSERT INTO accounts (id, username, email, name, password_hash, roles, status,"
    " password_change_required) VALUES (:b, 'a@example.cn', 'a@example.cn', '李', 'x',"
    " '{ENTERPRISE_USER}', 'ACTIVE', false)",
    "INSERT INTO legacy_imports (phone, enterprise_name, liaison_name, account_id)"
    " VALUES (:p, '青岛某公司', '王联络', :a)",
    "INSERT INTO verification_codes (id, channel, recipient, purpose, code_hash, expires_at,"
    " attempts) VALUES (:c, 'SMS', :o, 'REGISTER', 'h', now() + interval '5 minutes', 0)",
    "INSERT INTO notifications (id, channel, recipient, text) VALUES (:c, 'SMS', :o, '验证码')",
]
TABLES = ("accounts", "legacy_imports", "verification_codes", "notifications")


@pytest.fixture
def restore_vault() -> Iterator[None]:
    before = vault._ring
    yield
    vault._ring = before


async def test_phones_are_encrypted_by_the_migration_and_still_sign_in(
    postgres: Postgres, tmp_path: Path, restore_vault: None
) -> None:
    url = await postgres.ensure_database(f"test_identity_crypto_{uuid.uuid4().hex[:8]}", fresh=True)
    old, new, index_key = os.urandom(32), os.urandom(32), os.urandom(32)
    migrate(url, key_env("identity", tmp_path, {"k1": old}, "k1", index_key), "upgrade", "0004")
    ids = {"a": uuid.uuid4(), "b": uuid.uuid4(), "c": uuid.uuid4(), "p": PHONE, "o": OTHER}
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        for insert in INSERTS:
            await connection.execute(text(insert), ids)

    migrate(url, key_env("identity", tmp_path, {"k1": old}, "k1", index_key), "upgrade", "head")
    backup = "\n".join(await raw_rows(url, *TABLES))
    assert PHONE not in backup
    assert OTHER not in backup
    assert "a@example.cn" in backup  # e-mail addresses stay in clear (DATA_PROTECTION.md)
    assert "验证码" not in backup  # notification texts (they hold the codes) are encrypted

    vault.use(KeyRing({"k1": old}, "k1", index_key))
    sessions = async_sessionmaker(engine)
    async with sessions() as session:
        account = await repository.by_username(session, PHONE)
        assert account is not None
        assert (account.id, account.phone, account.username) == (ids["a"], PHONE, PHONE)
        assert await repository.exists_with(session, phone=PHONE, email=None)
        assert not await repository.exists_with(session, phone=OTHER, email=None)
        code = await codes.latest_code(session, OTHER, CodePurpose.REGISTER)
        assert code is not None
        assert code.recipient == OTHER
        assert [m.text for m in await codes.messages_to(session, OTHER)] == ["验证码"]

    rotated = KeyRing({"k1": old, "k2": new}, "k2", index_key)
    counts = await rotate(engine, metadata, rotated)
    assert counts["accounts"] == 2
    assert counts["legacy_imports"] == 1
    assert set((await rotate(engine, metadata, rotated)).values()) == {0}
    await engine.dispose()

    migrate(url, key_env("identity", tmp_path, {"k2": new}, "k2", index_key), "downgrade", "0004")
    restored = ("\n".join(await raw_rows(url, *TABLES))).replace(" ", "")
    assert f'"phone":"{PHONE}"' in restored
    assert '"text":"验证码"' in restored


SMS = "【涉外单位服务平台】您的验证码为482913，5分钟内有效，请勿泄露给他人。"


async def scalar(url: str, sql: str, **params: object) -> object:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        value = await connection.scalar(text(sql), params)
    await engine.dispose()
    return value


async def test_notification_texts_are_encrypted_by_0006_and_decrypted_by_its_downgrade(
    postgres: Postgres, tmp_path: Path, restore_vault: None
) -> None:
    url = await postgres.ensure_database(f"test_identity_texts_{uuid.uuid4().hex[:8]}", fresh=True)
    ring = KeyRing({"k1": os.urandom(32)}, "k1", os.urandom(32))
    env = key_env("identity", tmp_path, ring.keys, "k1", ring.index_key)
    migrate(url, env, "upgrade", "0005")
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO notifications (id, channel, recipient, recipient_hash, text)"
                " VALUES (:id, 'SMS', :recipient, :hash, :text)"
            ),
            {
                "id": uuid.uuid4(),
                "recipient": ring.encrypt(OTHER.encode(), "notifications.recipient"),
                "hash": ring.blind_index(OTHER, "recipient"),
                "text": SMS,
            },
        )

    migrate(url, env, "upgrade", "head")
    backup = "\n".join(await raw_rows(url, *TABLES))
    assert "482913" not in backup
    assert "验证码" not in backup
    assert await scalar(url, "SELECT to_regclass('sign_in_failures')") is not None
    vault.use(ring)
    async with async_sessionmaker(engine)() as session:
        assert [m.text for m in await codes.messages_to(session, OTHER)] == [SMS]
    await engine.dispose()

    migrate(url, env, "downgrade", "0005")
    assert await scalar(url, "SELECT text FROM notifications") == SMS
    assert await scalar(url, "SELECT to_regclass('sign_in_failures')") is None


async def test_a_code_sent_now_is_stored_encrypted_and_dev_messages_still_show_it(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    phone = f"139{random.randint(0, 99_999_999):08d}"
    sent = await graphql(
        identity,
        """mutation($r: String!) {
        requestVerificationCode(channel: SMS, recipient: $r, purpose: REGISTER) }""",
        {"r": phone},
    )
    assert sent["data"]["requestVerificationCode"] is True
    messages = await graphql(
        identity, "query($r: String!) { devMessages(recipient: $r) { text } }", {"r": phone}
    )
    code = re.findall(r"\d{6}", messages["data"]["devMessages"][0]["text"])[0]
    stored = await scalar(
        identity_settings.database_url,
        "SELECT text FROM notifications WHERE recipient_hash = :hash",
        hash=vault.blind_index(phone, "recipient"),
    )
    assert isinstance(stored, str) and stored.startswith("v1:")
    assert code not in stored
