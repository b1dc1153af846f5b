"""The foundation's vertical slice, as a user does it, through the gateway."""

from __future__ import annotations

import asyncio
import random
import re
from typing import Any

import httpx

from devstack.stack import Stack
from devstack.testing import error_code, graphql

LOGIN = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }"
SAVE = """mutation($input: FilingInput!) { saveFiling(input: $input) { id status revision } }"""
CROSS = """{ me { id name phone enterprise { name uscc
  liaisons { name mobile account { id phone status } } } } }"""


async def ask(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    return await graphql(client, query, variables, token=token)


async def signed_up_and_approved(gateway: httpx.AsyncClient) -> tuple[str, str]:
    """Registers with a phone, reads the SMS, gets approved by the branch officer, signs in."""
    phone = f"137{random.randint(0, 99_999_999):08d}"
    sent = await ask(
        gateway,
        """mutation($p: String!) {
        requestVerificationCode(channel: SMS, recipient: $p, purpose: REGISTER) }""",
        {"p": phone},
    )
    assert sent.get("data", {}).get("requestVerificationCode") is True, sent
    sms = await ask(
        gateway, "query($p: String!) { devMessages(recipient: $p) { text } }", {"p": phone}
    )
    code = re.search(r"\d{6}", sms["data"]["devMessages"][0]["text"])
    assert code
    registered = await ask(
        gateway,
        "mutation($i: RegisterInput!) { registerAccount(input: $i) { id } }",
        {
            "i": {
                "phone": phone,
                "code": code.group(0),
                "password": "Liaison-2026",
                "name": "王联络",
            }
        },
    )
    account_id = registered["data"]["registerAccount"]["id"]
    pending = await ask(gateway, LOGIN, {"u": phone, "p": "Liaison-2026"})
    assert error_code(pending) == "ACCOUNT_PENDING"

    officer = await ask(gateway, LOGIN, {"u": "branch-officer", "p": "Dev-Password-1"})
    officer_token = officer["data"]["login"]["accessToken"]
    approved = await ask(
        gateway,
        "mutation($id: ID!) { reviewAccount(id: $id, approve: true) { status } }",
        {"id": account_id},
        officer_token,
    )
    assert approved["data"]["reviewAccount"]["status"] == "ACTIVE"
    login = await ask(gateway, LOGIN, {"u": phone, "p": "Liaison-2026"})
    return phone, login["data"]["login"]["accessToken"]


def filing_input(phone: str, seed: int) -> dict[str, Any]:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    body = f"913702{seed:011d}"
    total = sum(alphabet.index(c) * w for c, w in zip(body, weights, strict=True))
    return {
        "enterpriseName": "青岛海湾示例贸易有限公司",
        "uscc": body + alphabet[(31 - total % 31) % 31],
        "district": "370202",
        "legalRepresentative": {"name": "赵法人"},
        "liaisons": [
            {
                "name": "王联络",
                "sex": "FEMALE",
                "idType": "RESIDENT_ID",
                "idNumber": "11010519491231002X",
                "mobile": phone,
                "socialSecurityMonths": 12,
            }
        ],
    }


async def save_until_linked(
    gateway: httpx.AsyncClient, token: str, form: dict[str, Any]
) -> dict[str, Any]:
    """Filing learns of the approval by event (slightly late): save until the liaison is linked."""
    async with asyncio.timeout(30):
        while True:
            saved = await ask(gateway, SAVE, {"input": form}, token)
            assert "errors" not in saved, saved
            me = await ask(gateway, CROSS, token=token)
            liaisons = me["data"]["me"]["enterprise"]["liaisons"]
            if liaisons[0]["account"] is not None:
                return me["data"]["me"]
            await asyncio.sleep(0.3)


async def test_register_approve_sign_in_file_and_query_across_subgraphs(
    gateway: httpx.AsyncClient,
) -> None:
    phone, token = await signed_up_and_approved(gateway)
    assert (await ask(gateway, "{ myEnterprise { id } }", token=token))["data"][
        "myEnterprise"
    ] is None
    me = await save_until_linked(gateway, token, filing_input(phone, 4242))
    assert me["enterprise"]["name"] == "青岛海湾示例贸易有限公司"
    liaison = me["enterprise"]["liaisons"][0]
    # phone and status come from identity, through filing's Liaison.account reference
    assert liaison["account"] == {"id": me["id"], "phone": phone, "status": "ACTIVE"}


async def test_every_subgraph_answers_its_slice_query(gateway: httpx.AsyncClient) -> None:
    _, token = await signed_up_and_approved(gateway)
    people = await ask(
        gateway, "{ foreignPersons { totalCount edges { node { id } } } }", token=token
    )
    assert people["data"]["foreignPersons"]["totalCount"] == 0  # no enterprise yet: nobody to see
    locations = await ask(gateway, "{ bookingLocations { name serviceTypes } }", token=token)
    kinds = [set(loc["serviceTypes"]) for loc in locations["data"]["bookingLocations"]]
    assert sum("EXIT_ENTRY" in k for k in kinds) >= 2
    assert sum("LABOUR_PERMIT" in k for k in kinds) >= 1
    forged = await ask(
        gateway, '{ verifyDocument(token: "eyJmb3JnZWQiOnRydWV9.AAAA") { genuine current } }'
    )
    assert forged["data"]["verifyDocument"] == {"genuine": False, "current": False}


async def test_forged_token_through_the_gateway_is_unauthenticated(
    gateway: httpx.AsyncClient,
) -> None:
    forged = "eyJhbGciOiJFZERTQSIsImtpZCI6IngifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    body = await ask(gateway, "{ me { id } }", token=forged)
    assert error_code(body) == "UNAUTHENTICATED"
    assert "Traceback" not in str(body)


async def test_too_deep_a_query_is_refused_by_the_gateway(gateway: httpx.AsyncClient) -> None:
    nested = "{ me { enterprise { liaisons { account { enterprise { liaisons { account { enterprise { liaisons { account { enterprise { liaisons { name } } } } } } } } } } } } }"
    body = await ask(gateway, nested)
    assert body.get("errors")
    assert "depth" in body["errors"][0]["message"].lower()


async def handled_approvals(stack: Stack) -> float:
    async with httpx.AsyncClient(timeout=5) as client:
        metrics = (await client.get(f"{stack.service_url('filing')}/metrics")).text
    match = re.search(
        r'inbox_events_handled_total\{type="identity.account.approved"\} ([\d.]+)', metrics
    )
    return float(match.group(1)) if match else 0.0


async def test_an_approval_made_while_the_broker_is_down_arrives_once_after_it_returns(
    gateway: httpx.AsyncClient, stack: Stack
) -> None:
    assert stack.broker is not None
    await signed_up_and_approved(gateway)  # warm up: the consumer is running
    async with asyncio.timeout(30):
        while (before := await handled_approvals(stack)) < 1:
            await asyncio.sleep(0.3)
    stack.broker.stop()
    try:
        phone, token = await signed_up_and_approved(gateway)  # identity works without the broker
        await asyncio.sleep(1.0)
        assert await handled_approvals(stack) == before
    finally:
        await stack.broker.astart()
    me = await save_until_linked(gateway, token, filing_input(phone, 5151))
    assert me["enterprise"]["liaisons"][0]["account"]["phone"] == phone
    await asyncio.sleep(2.0)  # a duplicate delivery would be counted by now
    assert await handled_approvals(stack) == before + 1
