"""A liaison removed from an enterprise (filing.liaison.changed) is signed out everywhere."""

from __future__ import annotations

import uuid

import httpx

from devstack.infra import Broker
from devstack.testing import error_code, graphql

from .filing_events import filing_event, liaison_data, texts_to, wait_for_text
from .test_account_security import approved_user
from .test_accounts import LOGIN
from .test_notifications import publish

REFRESH = "mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }"
TOPIC = "filing.liaison.v1"


async def sign_in(identity: httpx.AsyncClient, phone: str) -> str:
    body = await graphql(identity, LOGIN, {"u": phone, "p": "Secret-123"})
    return str(body["data"]["login"]["refreshToken"])


async def refreshes(identity: httpx.AsyncClient, refresh_token: str) -> bool:
    body = await graphql(identity, REFRESH, {"t": refresh_token})
    if error_code(body) == "UNAUTHENTICATED":
        return False
    assert body["data"]["refreshSession"]["refreshToken"]
    return True


async def test_a_removed_liaison_can_no_longer_refresh_and_a_redelivery_changes_nothing(
    identity: httpx.AsyncClient, broker: Broker
) -> None:
    former_phone, former = await approved_user(identity)
    new_phone, new = await approved_user(identity)
    member_phone, member = await approved_user(identity)
    laptop, phone_app = await sign_in(identity, former_phone), await sign_in(identity, former_phone)
    new_session = await sign_in(identity, new_phone)
    enterprise = str(uuid.uuid4())
    takeover = filing_event(
        "filing.liaison.changed",
        enterprise,
        **liaison_data("青岛示例科技有限公司", added=[new], removed=[former], others=[member]),
    )

    await publish(broker, TOPIC, takeover)

    await wait_for_text(identity, former_phone, "您已不再担任青岛示例科技有限公司的联络员")
    assert not await refreshes(identity, laptop)
    assert not await refreshes(identity, phone_app)
    assert await refreshes(identity, new_session)
    assert any(
        "您已成为青岛示例科技有限公司的联络员" in t for t in await texts_to(identity, new_phone)
    )
    assert any("联络员变更已审核通过" in t for t in await texts_to(identity, member_phone))

    # The former liaison still has an account and signs in again; the same event delivered again
    # must neither sign that new session out nor send the message twice.
    later_session = await sign_in(identity, former_phone)
    readded = filing_event(
        "filing.liaison.changed",
        enterprise,
        **liaison_data("青岛示例科技有限公司", kind="ADD", added=[former]),
    )
    await publish(broker, TOPIC, takeover, readded)  # same key: handled in this order
    texts = await wait_for_text(identity, former_phone, "您已成为青岛示例科技有限公司的联络员")
    assert sum("您已不再担任" in text for text in texts) == 1
    assert await refreshes(identity, later_session)


async def test_a_liaison_change_without_removals_signs_nobody_out(
    identity: httpx.AsyncClient, broker: Broker
) -> None:
    phone, account = await approved_user(identity)
    session = await sign_in(identity, phone)
    added = filing_event(
        "filing.liaison.changed",
        str(uuid.uuid4()),
        **liaison_data("青岛另一公司", kind="ADD", added=[account]),
    )
    await publish(broker, TOPIC, added)
    await wait_for_text(identity, phone, "您已成为青岛另一公司的联络员")
    assert await refreshes(identity, session)
