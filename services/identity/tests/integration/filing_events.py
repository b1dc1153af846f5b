"""Filing's events as filing publishes them (each checked against its contract schema), and a
way to wait for the messages they cause."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import jsonschema

from devstack.stack import ROOT
from devstack.testing import graphql
from servicekit.events import CloudEvent

MESSAGES = "query($r: String!) { devMessages(recipient: $r) { text } }"


def filing_event(event_type: str, enterprise_id: str, **data: Any) -> CloudEvent:
    data = {"enterpriseId": enterprise_id, "occurredAt": datetime.now(UTC).isoformat(), **data}
    schema = json.loads((ROOT / f"contracts/events/{event_type}.schema.json").read_text())
    jsonschema.validate(data, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return CloudEvent(
        type=event_type,
        source="/services/filing",
        subject=enterprise_id,
        data=data,
        dataschema=f"/contracts/events/{event_type}.schema.json",
    )


def record_data(name: str, account_ids: list[str], **extra: Any) -> dict[str, Any]:
    """The fields every filing.enterprise.* review event carries."""
    return {
        "filingId": str(uuid.uuid4()),
        "enterpriseName": name,
        "uscc": "91370200MA3C5WXY1Q",
        "district": "370202",
        "recordType": "NEW",
        "changeKind": None,
        "revision": 1,
        "status": "BRANCH_REVIEW",
        "accountIds": account_ids,
        **extra,
    }


def liaison_data(
    name: str,
    *,
    kind: str = "CHANGE",
    added: Sequence[str] = (),
    removed: Sequence[str] = (),
    others: Sequence[str] = (),
) -> dict[str, Any]:
    return {
        "filingId": str(uuid.uuid4()),
        "enterpriseName": name,
        "kind": kind,
        "liaisons": [
            {"id": str(uuid.uuid4()), "name": "李联络", "mobile": "13800000000", "accountId": a}
            for a in added
        ],
        "addedAccountIds": list(added),
        "removedAccountIds": list(removed),
        "accountIds": [*others, *added, *removed],
    }


async def texts_to(identity: httpx.AsyncClient, phone: str) -> list[str]:
    body = await graphql(identity, MESSAGES, {"r": phone})
    return [m["text"] for m in body["data"]["devMessages"]]


async def wait_for_text(identity: httpx.AsyncClient, phone: str, fragment: str) -> list[str]:
    # Bounded, but generous: on a busy CI machine a consumer group can take a while to settle.
    async with asyncio.timeout(60):
        while True:
            texts = await texts_to(identity, phone)
            if any(fragment in text for text in texts):
                return texts
            await asyncio.sleep(0.2)
