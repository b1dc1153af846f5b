"""One enterprise, one account space: the liaison (phone) binds the enterprise's HR user (e-mail);
both see the enterprise's foreign persons, only the liaison files."""

from __future__ import annotations

import asyncio
import random
import re

import httpx

from devstack.testing import error_code

from .filing_steps import complete_filing, filed_enterprise, officer
from .test_filing import A_PERSON, PERSON
from .test_slice import LOGIN, SAVE, ask

BIND = (
    "mutation($e: String!) { bindHrAccount(email: $e) { id users { role account { id email } } } }"
)
PEOPLE = "{ foreignPersons { totalCount edges { node { id surname } } } }"


async def hr_account(gateway: httpx.AsyncClient) -> tuple[str, str, str]:
    """Registers with an enterprise e-mail, is approved, signs in: (email, account id, token)."""
    email = f"hr{random.randint(0, 10**9)}@example-corp.cn"
    await ask(
        gateway,
        """mutation($r: String!) {
        requestVerificationCode(channel: EMAIL, recipient: $r, purpose: REGISTER) }""",
        {"r": email},
    )
    mail = await ask(
        gateway, "query($r: String!) { devMessages(recipient: $r) { text } }", {"r": email}
    )
    code = re.search(r"\d{6}", mail["data"]["devMessages"][0]["text"])
    assert code
    registered = await ask(
        gateway,
        "mutation($i: RegisterInput!) { registerAccount(input: $i) { id } }",
        {
            "i": {
                "email": email,
                "code": code.group(0),
                "password": "Hr-Pass-2026",
                "name": "人事刘",
            }
        },
    )
    account_id = registered["data"]["registerAccount"]["id"]
    approved = await ask(
        gateway,
        "mutation($id: ID!) { reviewAccount(id: $id, approve: true) { status } }",
        {"id": account_id},
        await officer(gateway, "branch-officer"),
    )
    assert approved["data"]["reviewAccount"]["status"] == "ACTIVE"
    token = (await ask(gateway, LOGIN, {"u": email, "p": "Hr-Pass-2026"}))["data"]["login"][
        "accessToken"
    ]
    return email, account_id, token


async def test_the_liaison_and_the_hr_user_share_the_enterprises_persons(
    gateway: httpx.AsyncClient,
) -> None:
    _, liaison, _ = await filed_enterprise(gateway)
    email, hr_id, hr = await hr_account(gateway)
    assert (await ask(gateway, PEOPLE, token=hr))["data"]["foreignPersons"]["totalCount"] == 0

    async def bound() -> dict[str, object] | None:
        body = await ask(gateway, BIND, {"e": email}, liaison)
        if error_code(body) == "VALIDATION_FAILED":  # filing hears of the approval by event
            return None
        assert "errors" not in body, body
        return body["data"]["bindHrAccount"]  # type: ignore[no-any-return]

    async with asyncio.timeout(30):
        while (enterprise := await bound()) is None:
            await asyncio.sleep(0.3)
    users = {(user["role"], user["account"]["id"]) for user in enterprise["users"]}  # type: ignore[index]
    assert ("HR", hr_id) in users

    registered = await ask(
        gateway, PERSON, {"i": A_PERSON | {"documentNumber": "E1234567"}}, liaison
    )
    assert "errors" not in registered, registered
    seen = await ask(gateway, PEOPLE, token=hr)
    assert [edge["node"]["id"] for edge in seen["data"]["foreignPersons"]["edges"]] == [
        registered["data"]["registerForeignPerson"]["id"]
    ]
    mine = await ask(gateway, "{ myEnterprise { id status } }", token=hr)
    assert mine["data"]["myEnterprise"]["status"] == "FILED"
    # the HR user does not file or change the filing
    refused = await ask(gateway, SAVE, {"input": complete_filing("13800000000", 1)}, hr)
    assert error_code(refused) == "FORBIDDEN"
    change = await ask(
        gateway,
        'mutation { requestEnterpriseChange(input: {phone: "0532-80000000"}) { id } }',
        token=hr,
    )
    assert error_code(change) == "FORBIDDEN"
    # an account that acts for an enterprise cannot be bound to a second one
    _, other_liaison, _ = await filed_enterprise(gateway)
    assert error_code(await ask(gateway, BIND, {"e": email}, other_liaison)) == "CONFLICT"
