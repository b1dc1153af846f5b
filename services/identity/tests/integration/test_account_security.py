"""Lockout, password reset and change, legacy import, disabling, e-mail codes, key rotation."""

from __future__ import annotations

import asyncio
import email
import email.policy
import random
import re
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller

from devstack.infra import free_port
from devstack.testing import error_code, graphql, running
from identity.app import create_app
from identity.config import IdentitySettings
from servicekit.keys import load_or_create_key
from servicekit.settings import ProcessRole

from .test_accounts import LOGIN, last_code, new_phone, officer_token, register

# A second identity process beside the session's: it serves requests only. With consumers it
# would join the session instance's consumer group and leave again, and the rebalances could
# hold the session instance's partitions long enough for the event tests that follow to time out.
SECOND_INSTANCE = {"process_role": ProcessRole.API}

RESET = """mutation($r: String!, $c: String!, $p: String!) {
  resetPassword(recipient: $r, code: $c, newPassword: $p) }"""
REQUEST_RESET = """mutation($r: String!) {
  requestVerificationCode(channel: SMS, recipient: $r, purpose: RESET_PASSWORD) }"""


async def approved_user(identity: httpx.AsyncClient) -> tuple[str, str]:
    phone = new_phone()
    account_id = await register(identity, phone)
    officer = await officer_token(identity)
    await graphql(
        identity,
        "mutation($id: ID!) { reviewAccount(id: $id, approve: true) { id } }",
        {"id": account_id},
        token=officer,
    )
    return phone, account_id


async def test_brute_force_locks_the_account_even_for_the_right_password(
    identity: httpx.AsyncClient,
) -> None:
    phone, _ = await approved_user(identity)
    codes = [
        error_code(await graphql(identity, LOGIN, {"u": phone, "p": f"Wrong-{i}xx"}))
        for i in range(5)
    ]
    assert codes == ["UNAUTHENTICATED"] * 4 + ["ACCOUNT_LOCKED"]
    body = await graphql(identity, LOGIN, {"u": phone, "p": "Secret-123"})
    assert error_code(body) == "ACCOUNT_LOCKED"
    assert "锁定至" in body["errors"][0]["message"]


async def test_a_password_reset_by_code_unlocks_and_signs_out_everywhere(
    identity: httpx.AsyncClient,
) -> None:
    phone, _ = await approved_user(identity)
    session = (await graphql(identity, LOGIN, {"u": phone, "p": "Secret-123"}))["data"]["login"]
    for i in range(5):
        await graphql(identity, LOGIN, {"u": phone, "p": f"Wrong-{i}xx"})
    assert (await graphql(identity, REQUEST_RESET, {"r": phone}))["data"]
    code = await last_code(identity, phone)
    assert (await graphql(identity, RESET, {"r": phone, "c": code, "p": "Brand-new-2026"}))["data"]
    assert "data" in await graphql(identity, LOGIN, {"u": phone, "p": "Brand-new-2026"})
    assert (
        error_code(await graphql(identity, LOGIN, {"u": phone, "p": "Secret-123"}))
        == "UNAUTHENTICATED"
    )
    refresh = "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }"
    assert (
        error_code(await graphql(identity, refresh, {"t": session["refreshToken"]}))
        == "UNAUTHENTICATED"
    )


async def test_a_reset_code_is_only_sent_to_existing_accounts_but_the_answer_is_the_same(
    identity: httpx.AsyncClient,
) -> None:
    stranger = new_phone()
    assert (await graphql(identity, REQUEST_RESET, {"r": stranger}))["data"] == {
        "requestVerificationCode": True
    }
    messages = await graphql(
        identity, "query($r: String!) { devMessages(recipient: $r) { text } }", {"r": stranger}
    )
    assert messages["data"]["devMessages"] == []


def legacy_csv(*rows: tuple[str, str, str]) -> str:
    return "单位名称,联络员姓名,手机号码\n" + "\n".join(",".join(row) for row in rows) + "\n"


async def test_legacy_import_reports_landlines_and_is_idempotent(
    identity: httpx.AsyncClient,
) -> None:
    admin = await officer_token(identity, "admin")
    phone = new_phone()
    csv = legacy_csv(
        ("青岛老企业有限公司", "赵老联络", phone), ("青岛座机公司", "钱联络", "0532-88886666")
    )
    mutation = """mutation($csv: String!) { importLegacyAccounts(csv: $csv) {
        imported unchanged rejected { line reason } } }"""
    first = (await graphql(identity, mutation, {"csv": csv}, token=admin))["data"][
        "importLegacyAccounts"
    ]
    assert first["imported"] == 1 and first["unchanged"] == 0
    assert [row["line"] for row in first["rejected"]] == [3]
    assert "座机" in first["rejected"][0]["reason"]
    again = (await graphql(identity, mutation, {"csv": csv}, token=admin))["data"][
        "importLegacyAccounts"
    ]
    assert again["imported"] == 0 and again["unchanged"] == 1

    liaison = (await graphql(identity, LOGIN, {"u": phone, "p": phone}))["data"]["login"]
    token = liaison["accessToken"]
    me = await graphql(identity, "{ me { passwordChangeRequired status } }", token=token)
    assert me["data"]["me"] == {"passwordChangeRequired": True, "status": "ACTIVE"}
    blocked = await graphql(identity, "{ pendingAccounts { totalCount } }", token=token)
    assert error_code(blocked) == "PASSWORD_CHANGE_REQUIRED"
    change = (
        "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) }"
    )
    weak = await graphql(identity, change, {"o": phone, "n": phone}, token=token)
    assert error_code(weak) == "VALIDATION_FAILED"
    assert (await graphql(identity, change, {"o": phone, "n": "Changed-2026"}, token=token))["data"]
    fresh = (await graphql(identity, LOGIN, {"u": phone, "p": "Changed-2026"}))["data"]["login"]
    me = await graphql(identity, "{ me { passwordChangeRequired } }", token=fresh["accessToken"])
    assert me["data"]["me"]["passwordChangeRequired"] is False


async def test_only_admins_import_legacy_accounts(identity: httpx.AsyncClient) -> None:
    officer = await officer_token(identity, "branch-officer")
    body = await graphql(
        identity, 'mutation { importLegacyAccounts(csv: "a") { imported } }', token=officer
    )
    assert error_code(body) == "FORBIDDEN"


async def test_a_disabled_account_cannot_sign_in_until_enabled(identity: httpx.AsyncClient) -> None:
    phone, account_id = await approved_user(identity)
    liaison = (await graphql(identity, LOGIN, {"u": phone, "p": "Secret-123"}))["data"]["login"]
    disable = "mutation($id: ID!, $r: String!) { disableAccount(id: $id, reason: $r) { status } }"
    forbidden = await graphql(
        identity, disable, {"id": account_id, "r": "x"}, token=liaison["accessToken"]
    )
    assert error_code(forbidden) == "FORBIDDEN"
    officer = await officer_token(identity)
    body = await graphql(identity, disable, {"id": account_id, "r": "单位已注销"}, token=officer)
    assert body["data"]["disableAccount"]["status"] == "DISABLED"
    assert (
        error_code(await graphql(identity, LOGIN, {"u": phone, "p": "Secret-123"})) == "FORBIDDEN"
    )
    refresh = "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }"
    assert (
        error_code(await graphql(identity, refresh, {"t": liaison["refreshToken"]}))
        == "UNAUTHENTICATED"
    )
    enable = "mutation($id: ID!) { enableAccount(id: $id) { status } }"
    assert (await graphql(identity, enable, {"id": account_id}, token=officer))["data"][
        "enableAccount"
    ]["status"] == "ACTIVE"
    assert "data" in await graphql(identity, LOGIN, {"u": phone, "p": "Secret-123"})


class Inbox:
    def __init__(self) -> None:
        self.messages: list[str] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(envelope.content.decode("utf-8", errors="replace"))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp_server() -> object:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


async def test_registration_by_e_mail_sends_the_code_through_smtp(
    identity: httpx.AsyncClient,
    identity_settings: IdentitySettings,
    smtp_server: tuple[Controller, Inbox],
) -> None:
    controller, inbox = smtp_server
    settings = identity_settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": controller.port,
            "grpc_port": free_port(),
            **SECOND_INSTANCE,
        }
    )
    address = f"hr{random.randint(0, 10**9)}@example-enterprise.cn"
    async with running(create_app(settings)) as client:
        sent = await graphql(
            client,
            """mutation($e: String!) {
            requestVerificationCode(channel: EMAIL, recipient: $e, purpose: REGISTER) }""",
            {"e": address},
        )
        assert sent["data"]
        async with asyncio.timeout(5):
            while not inbox.messages:
                await asyncio.sleep(0.05)
        mail = email.message_from_string(inbox.messages[-1], policy=email.policy.default)
        assert mail["To"] == address
        code = re.search(r"\d{6}", mail.get_content())  # type: ignore[attr-defined]
        assert code
        body = await graphql(
            client,
            """mutation($i: RegisterInput!) {
            registerAccount(input: $i) { status email } }""",
            {
                "i": {
                    "email": address,
                    "code": code.group(0),
                    "password": "Hr-Secret-2026",
                    "name": "人事专员",
                }
            },
        )
        assert body["data"]["registerAccount"]["status"] == "PENDING_APPROVAL"


async def test_tokens_signed_by_the_previous_key_stay_valid_after_rotation(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings, tmp_path: Path
) -> None:
    old_file = tmp_path / "old.pem"
    old_settings = identity_settings.model_copy(
        update={"jwt_private_key_file": old_file, "grpc_port": free_port(), **SECOND_INSTANCE}
    )
    load_or_create_key(old_file, create=True)
    async with running(create_app(old_settings)) as before:
        token = (await graphql(before, LOGIN, {"u": "admin", "p": "Dev-Password-1"}))["data"][
            "login"
        ]["accessToken"]
    rotated = identity_settings.model_copy(
        update={
            "jwt_private_key_file": tmp_path / "new.pem",
            "jwt_previous_key_file": old_file,
            "grpc_port": free_port(),
            **SECOND_INSTANCE,
        }
    )
    load_or_create_key(tmp_path / "new.pem", create=True)
    async with running(create_app(rotated)) as after:
        keys = (await after.get("/.well-known/jwks.json")).json()["keys"]
        assert len(keys) == 2
        me = await graphql(after, "{ me { roles } }", token=token)
        assert me["data"]["me"]["roles"] == ["ADMIN"]
        new_token = (await graphql(after, LOGIN, {"u": "admin", "p": "Dev-Password-1"}))["data"][
            "login"
        ]["accessToken"]
        assert new_token.split(".")[0] != token.split(".")[0]  # a different key id in the header


async def test_the_admin_command_imports_the_same_way(
    identity: httpx.AsyncClient,
    identity_settings: IdentitySettings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from identity.legacy_import import run

    phone = new_phone()
    text = legacy_csv(("青岛命令行导入有限公司", "吴联络", phone), ("坏行公司", "", new_phone()))
    assert await run(identity_settings, text) == 0
    assert await run(identity_settings, text) == 0
    out = capsys.readouterr().out
    assert "imported 1, unchanged 0, rejected 1" in out
    assert "imported 0, unchanged 1, rejected 1" in out
    assert "data" in await graphql(identity, LOGIN, {"u": phone, "p": phone})


async def test_a_sign_in_rehashes_the_password_when_argon2_parameters_change(
    identity: httpx.AsyncClient, identity_settings: IdentitySettings
) -> None:
    from sqlalchemy import text

    from identity.db import vault
    from servicekit.db import Database, make_engine

    phone, _ = await approved_user(identity)
    db = Database(make_engine(identity_settings.database_url, 1))

    async def stored_hash() -> str:
        async with db.unit_of_work() as session:
            # Phones are encrypted at rest: the row is found by the phone's keyed hash.
            query = text("select password_hash from accounts where phone_hash = :p")
            found = await session.execute(query, {"p": vault.blind_index(phone, "phone")})
            return str(found.scalar_one())

    try:
        before = await stored_hash()
        assert "t=1," in before
        stronger = identity_settings.model_copy(
            update={"argon2_time_cost": 2, "grpc_port": free_port(), **SECOND_INSTANCE}
        )
        async with running(create_app(stronger)) as client:
            assert "data" in await graphql(client, LOGIN, {"u": phone, "p": "Secret-123"})
        after = await stored_hash()
        assert "t=2," in after
        assert after != before
    finally:
        await db.dispose()
