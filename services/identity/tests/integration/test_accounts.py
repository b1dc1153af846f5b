"""Registration, approval and sign-in against real PostgreSQL and a real broker."""

from __future__ import annotations

import asyncio
import json
import random
import re

import httpx
import jsonschema
from aiokafka import AIOKafkaConsumer

from devstack.infra import Broker
from devstack.stack import ROOT
from devstack.testing import error_code, graphql

REQUEST_CODE = """mutation($phone: String!) {
  requestVerificationCode(channel: SMS, recipient: $phone, purpose: REGISTER) }"""
REGISTER = """mutation($input: RegisterInput!) { registerAccount(input: $input) { id status approvalDueAt } }"""
LOGIN = """mutation($u: String!, $p: String!) {
  login(username: $u, password: $p) { accessToken refreshToken account { id status roles } } }"""


TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def new_phone() -> str:
    return f"139{random.randint(0, 99_999_999):08d}"


async def last_code(client: httpx.AsyncClient, phone: str) -> str:
    body = await graphql(
        client, "query($r: String!) { devMessages(recipient: $r) { text } }", {"r": phone}
    )
    match = re.search(r"\d{6}", body["data"]["devMessages"][0]["text"])
    assert match
    return match.group(0)


async def register(client: httpx.AsyncClient, phone: str, password: str = "Secret-123") -> str:
    assert (await graphql(client, REQUEST_CODE, {"phone": phone}))["data"]
    code = await last_code(client, phone)
    body = await graphql(
        client,
        REGISTER,
        {"input": {"phone": phone, "code": code, "password": password, "name": "张三"}},
    )
    assert body["data"]["registerAccount"]["status"] == "PENDING_APPROVAL"
    return str(body["data"]["registerAccount"]["id"])


async def officer_token(client: httpx.AsyncClient, username: str = "branch-officer") -> str:
    body = await graphql(client, LOGIN, {"u": username, "p": "Dev-Password-1"})
    return str(body["data"]["login"]["accessToken"])


async def test_pending_account_cannot_sign_in_until_an_officer_approves(
    identity: httpx.AsyncClient,
) -> None:
    phone = new_phone()
    account_id = await register(identity, phone)
    body = await graphql(identity, LOGIN, {"u": phone, "p": "Secret-123"})
    assert error_code(body) == "ACCOUNT_PENDING"

    officer = await officer_token(identity)
    pending = await graphql(
        identity, "{ pendingAccounts(first: 100) { edges { node { id } } } }", token=officer
    )
    assert account_id in [e["node"]["id"] for e in pending["data"]["pendingAccounts"]["edges"]]
    review = await graphql(
        identity,
        "mutation($id: ID!) { reviewAccount(id: $id, approve: true) { status } }",
        {"id": account_id},
        token=officer,
    )
    assert review["data"]["reviewAccount"]["status"] == "ACTIVE"

    body = await graphql(identity, LOGIN, {"u": phone, "p": "Secret-123"})
    token = body["data"]["login"]["accessToken"]
    me = await graphql(identity, "{ me { id phone status } }", token=token)
    assert me["data"]["me"] == {"id": account_id, "phone": phone, "status": "ACTIVE"}
    messages = await graphql(
        identity, "query($r: String!) { devMessages(recipient: $r) { text } }", {"r": phone}
    )
    assert "审核通过" in messages["data"]["devMessages"][0]["text"]


async def test_approval_is_published_once_through_the_outbox(
    identity: httpx.AsyncClient, broker: Broker
) -> None:
    consumer = AIOKafkaConsumer(
        "identity.account.v1",
        bootstrap_servers=broker.bootstrap,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=20,
        group_id=f"test-{random.random()}",
    )
    await consumer.start()
    try:
        account_id = await register(identity, new_phone())
        officer = await officer_token(identity)
        await graphql(
            identity,
            "mutation($id: ID!) { reviewAccount(id: $id, approve: true) { id } }",
            {"id": account_id},
            token=officer,
            headers={"traceparent": TRACEPARENT},
        )
        seen: list[dict[str, object]] = []
        async with asyncio.timeout(15):
            while not any(e["type"] == "identity.account.approved" for e in seen):
                batch = await consumer.getmany(timeout_ms=500)
                for records in batch.values():
                    seen += [json.loads(r.value) for r in records if r.key == account_id.encode()]
        approved = [e for e in seen if e["type"] == "identity.account.approved"]
        assert len(approved) == 1
        assert approved[0]["subject"] == account_id
        assert approved[0]["source"] == "/services/identity"
        # the request's trace goes on (same trace id; the parent is now a span of this service)
        assert str(approved[0]["traceparent"]).split("-")[1] == TRACEPARENT.split("-")[1]
        assert approved[0]["data"]["accountId"] == account_id  # type: ignore[index]
        schema = json.loads(
            (ROOT / "contracts/events/identity.account.approved.schema.json").read_text()
        )
        jsonschema.validate(approved[0]["data"], schema)
    finally:
        await consumer.stop()


async def test_enterprise_user_cannot_review_accounts(identity: httpx.AsyncClient) -> None:
    phone = new_phone()
    account_id = await register(identity, phone)
    officer = await officer_token(identity)
    await graphql(
        identity,
        "mutation($id: ID!) { reviewAccount(id: $id, approve: true) { id } }",
        {"id": account_id},
        token=officer,
    )
    user = (await graphql(identity, LOGIN, {"u": phone, "p": "Secret-123"}))["data"]["login"]
    body = await graphql(identity, "{ pendingAccounts { totalCount } }", token=user["accessToken"])
    assert error_code(body) == "FORBIDDEN"


async def test_rejection_needs_a_reason_and_twice_reviewing_is_invalid(
    identity: httpx.AsyncClient,
) -> None:
    account_id = await register(identity, new_phone())
    officer = await officer_token(identity)
    review = "mutation($id: ID!, $r: String) { reviewAccount(id: $id, approve: false, reason: $r) { status } }"
    body = await graphql(identity, review, {"id": account_id}, token=officer)
    assert error_code(body) == "VALIDATION_FAILED"
    assert body["errors"][0]["extensions"]["fields"][0]["path"] == "reason"
    body = await graphql(identity, review, {"id": account_id, "r": "资料不全"}, token=officer)
    assert body["data"]["reviewAccount"]["status"] == "REJECTED"
    body = await graphql(identity, review, {"id": account_id, "r": "again"}, token=officer)
    assert error_code(body) == "INVALID_STATE"


async def test_wrong_codes_are_counted_and_the_code_dies_after_five(
    identity: httpx.AsyncClient,
) -> None:
    phone = new_phone()
    await graphql(identity, REQUEST_CODE, {"phone": phone})
    code = await last_code(identity, phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    form = {"phone": phone, "password": "Secret-123", "name": "李四"}
    for _ in range(5):
        body = await graphql(identity, REGISTER, {"input": {**form, "code": wrong}})
        assert error_code(body) == "VALIDATION_FAILED"
    body = await graphql(identity, REGISTER, {"input": {**form, "code": code}})
    assert error_code(body) == "VALIDATION_FAILED", (
        "the right code must not work after 5 wrong tries"
    )


async def test_invalid_registration_reports_every_wrong_field(identity: httpx.AsyncClient) -> None:
    body = await graphql(
        identity,
        REGISTER,
        {"input": {"phone": "053288888888", "code": "123456", "password": "short", "name": ""}},
        headers={"accept-language": "en"},
    )
    assert error_code(body) == "VALIDATION_FAILED"
    fields = {f["path"]: f["message"] for f in body["errors"][0]["extensions"]["fields"]}
    assert set(fields) == {"phone", "password", "name"}
    assert fields["phone"] == "must be a mainland mobile number"


async def test_code_resend_within_a_minute_is_rate_limited(identity: httpx.AsyncClient) -> None:
    phone = new_phone()
    assert (await graphql(identity, REQUEST_CODE, {"phone": phone}))["data"]
    assert error_code(await graphql(identity, REQUEST_CODE, {"phone": phone})) == "RATE_LIMITED"


async def test_refresh_token_rotates_and_reuse_revokes_the_family(
    identity: httpx.AsyncClient,
) -> None:
    login = await graphql(identity, LOGIN, {"u": "city-officer", "p": "Dev-Password-1"})
    first = login["data"]["login"]["refreshToken"]
    refresh = "mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }"
    second = (await graphql(identity, refresh, {"t": first}))["data"]["refreshSession"][
        "refreshToken"
    ]
    assert error_code(await graphql(identity, refresh, {"t": first})) == "UNAUTHENTICATED"
    assert error_code(await graphql(identity, refresh, {"t": second})) == "UNAUTHENTICATED"


async def test_forged_and_expired_tokens_are_unauthenticated(
    identity: httpx.AsyncClient, issuer: object
) -> None:
    from devstack.testing import TestIssuer

    assert isinstance(issuer, TestIssuer)
    forged = issuer.token(roles=["ADMIN"])  # signed by a key identity never published
    assert error_code(await graphql(identity, "{ me { id } }", token=forged)) == "UNAUTHENTICATED"
    officer = await officer_token(identity)
    header, payload, _ = officer.split(".")
    tampered = f"{header}.{payload}.{'A' * 86}"
    assert error_code(await graphql(identity, "{ me { id } }", token=tampered)) == "UNAUTHENTICATED"


async def test_a_code_request_with_an_overlong_forwarded_address_is_counted_not_an_error(
    identity: httpx.AsyncClient,
) -> None:
    """A direct caller can send any X-Forwarded-For; the limits count at most 64 characters of
    it (the column's size) instead of failing the request."""
    forged = {"x-forwarded-for": "x" * 300}
    answer = await graphql(identity, REQUEST_CODE, {"phone": new_phone()}, headers=forged)
    assert answer.get("errors") is None, answer
