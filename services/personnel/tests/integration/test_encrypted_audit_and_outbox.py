"""An issued licence number at rest: the audit row of the decision and the approval event in the
outbox hold it encrypted (what a backup copies), and both read back through the models."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

import httpx
from sqlalchemy import select, text

from personnel.applications.models import ApplicationAudit
from personnel.config import PersonnelSettings
from personnel.db import outbox
from servicekit.db import Database, make_engine

from .applications_helpers import decide, register_person, submitted

if TYPE_CHECKING:
    from devstack.doubles import DocumentsDouble

    from ..conftest import Tenants


async def test_the_issued_number_is_not_in_clear_in_the_audit_or_the_outbox(
    personnel: httpx.AsyncClient,
    tenants: Tenants,
    documents: DocumentsDouble,
    personnel_settings: PersonnelSettings,
) -> None:
    owner, labour = tenants.new(), tenants.officer("LABOUR_OFFICER")
    person_id = await register_person(personnel, owner)
    saved = await submitted(personnel, owner, documents, "LICENCE", person_id)
    issued = (await decide(personnel, labour, saved["id"], True))["issuedNumber"]
    assert issued
    application_id = uuid.UUID(saved["id"])

    db = Database(make_engine(personnel_settings.database_url, 1))
    try:
        async with db.unit_of_work() as session:
            audit_rows = await session.execute(
                text(
                    "SELECT row_to_json(a)::text FROM application_audit a WHERE application_id = :id"
                ),
                {"id": application_id},
            )
            stored_audit = [row[0] for row in audit_rows]
            payloads = await session.execute(
                text("SELECT payload FROM outbox WHERE key = :key"), {"key": saved["id"]}
            )
            stored_events = [bytes(row[0]) for row in payloads]
            decision = select(ApplicationAudit.detail).where(
                ApplicationAudit.application_id == application_id,
                ApplicationAudit.action == "application.passed",
            )
            details = list(await session.scalars(decision))
            events = await session.scalars(
                select(outbox.c.payload).where(outbox.c.key == saved["id"])
            )
            approved = [json.loads(e) for e in events if b".approved" in e]
    finally:
        await db.dispose()

    assert stored_audit and stored_events
    assert not any(issued in row for row in stored_audit)
    assert not any(issued.encode() in payload for payload in stored_events)
    assert all(payload.startswith(b"v1:") for payload in stored_events)
    assert [detail["issuedNumber"] for detail in details] == [issued]
    assert [event["data"]["issuedNumber"] for event in approved] == [issued]
