"""Decision events of other services become SMS to the accounts they name."""

from __future__ import annotations

import asyncio

import httpx
from aiokafka import AIOKafkaProducer

from devstack.infra import Broker
from devstack.testing import graphql
from servicekit.events import CloudEvent

from .test_account_security import approved_user

MESSAGES = "query($r: String!) { devMessages(recipient: $r) { text } }"


async def publish(broker: Broker, topic: str, *events: CloudEvent) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for event in events:
            await producer.send_and_wait(topic, event.to_json(), key=event.subject.encode())
    finally:
        await producer.stop()


async def test_a_filing_rejection_is_sent_to_the_liaison_once_and_unknown_events_are_ignored(
    identity: httpx.AsyncClient, broker: Broker
) -> None:
    phone, account_id = await approved_user(identity)
    rejected = CloudEvent(
        type="filing.enterprise.rejected",
        source="/services/filing",
        subject="e-1",
        data={
            "accountIds": [account_id],
            "enterpriseName": "青岛示例科技有限公司",
            "comment": "营业执照复印件不清晰",
        },
    )
    unknown = CloudEvent(
        type="filing.enterprise.archived",
        source="/services/filing",
        subject="e-1",
        data={"accountIds": [account_id]},
    )
    broken = CloudEvent(
        type="filing.enterprise.approved",
        source="/services/filing",
        subject="e-1",
        data={"accountIds": [account_id]},
    )  # no enterpriseName
    await publish(broker, "filing.enterprise.v1", unknown, broken, rejected, rejected)
    async with asyncio.timeout(20):
        while True:
            texts = [
                m["text"]
                for m in (await graphql(identity, MESSAGES, {"r": phone}))["data"]["devMessages"]
            ]
            if any("未通过审核：营业执照复印件不清晰" in text for text in texts):
                break
            await asyncio.sleep(0.2)
    await asyncio.sleep(1)  # the duplicate delivery would have been sent by now
    texts = [
        m["text"] for m in (await graphql(identity, MESSAGES, {"r": phone}))["data"]["devMessages"]
    ]
    assert sum("营业执照复印件不清晰" in text for text in texts) == 1
    assert not any("已审核通过" in text and "备案" in text for text in texts)
