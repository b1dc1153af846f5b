"""Decision events of other services become SMS to the accounts they name."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from aiokafka import AIOKafkaProducer

from devstack.infra import Broker
from devstack.testing import graphql
from servicekit.events import CloudEvent

from .filing_events import filing_event, record_data, wait_for_text
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


async def test_filing_submissions_changes_and_comment_less_rejections_are_sent(
    identity: httpx.AsyncClient, broker: Broker
) -> None:
    phone, account_id = await approved_user(identity)
    enterprise = str(uuid.uuid4())
    submitted = filing_event(
        "filing.enterprise.submitted",
        enterprise,
        **record_data(
            "青岛提交公司", [account_id], revision=2, recordType="CHANGE", changeKind="INFORMATION"
        ),
    )
    rejected = filing_event(
        "filing.enterprise.rejected",
        enterprise,
        **record_data("青岛提交公司", [account_id], revision=2, status="REJECTED"),
        level="CITY",
        comment=None,
        fieldIssues=[{"field": "uscc", "message": "与营业执照不一致"}],
        attachmentIssues=[],
    )
    changed = filing_event(
        "filing.enterprise.changed",
        enterprise,
        filingId=str(uuid.uuid4()),
        enterpriseName="青岛变更后公司",
        uscc=None,
        district="370203",
        version=3,
        changedFields=["enterpriseName", "district"],
        accountIds=[account_id],
    )
    await publish(broker, "filing.enterprise.v1", submitted, rejected, changed)
    texts = await wait_for_text(identity, phone, "青岛变更后公司的单位信息变更已审核通过。")
    assert any("青岛提交公司的备案（第2版）已提交，请等待出入境部门审核。" in t for t in texts)
    assert any("青岛提交公司的备案未通过审核：未填写意见。" in t for t in texts)
    assert not any("None" in t for t in texts)
