"""Enterprise users, their persons and applications, and the GraphQL operations of booking."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import jsonschema
from sqlalchemy import select

from booking.db import outbox
from devstack.stack import ROOT
from devstack.testing import TestIssuer, graphql
from identity.notifications.templates import TEMPLATES, render
from servicekit.db import Database

from ..doubles import Doubles

EVENTS = ROOT / "contracts" / "events"
APPOINTMENT_FIELDS = """id number status serviceType revision foreignPersonId applicationId
  personName enterpriseName cancelReason cancelNote cancelDeadline
  slot { id serviceType startsAt endsAt capacity remaining } location { id code }"""
BOOK = f"""mutation($input: BookAppointmentInput!) {{
  bookAppointment(input: $input) {{ {APPOINTMENT_FIELDS} }} }}"""
CANCEL = f"mutation($id: ID!) {{ cancelAppointment(id: $id) {{ {APPOINTMENT_FIELDS} }} }}"
RESCHEDULE = f"""mutation($id: ID!, $slot: ID!) {{
  rescheduleAppointment(id: $id, slotId: $slot) {{ {APPOINTMENT_FIELDS} }} }}"""
MINE = f"""query($first: Int, $after: String) {{ myAppointments(first: $first, after: $after) {{
  totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {APPOINTMENT_FIELDS} }} }} }} }}"""
OF_DAY = f"""query($location: ID!, $date: Date!) {{
  appointmentsOfDay(locationId: $location, date: $date) {{ {APPOINTMENT_FIELDS} }} }}"""
MARK_ATTENDED = "mutation($id: ID!) { markAttended(id: $id) { id status } }"
MARK_NO_SHOW = "mutation($id: ID!) { markNoShow(id: $id) { id status } }"
SLIP = "query($id: ID!) { appointment(id: $id) { revision slip { id } } }"
JOIN = """mutation($input: JoinWaitlistInput!) { joinWaitlist(input: $input) {
  id status date offer { id } } }"""
MY_WAITLIST = """{ myWaitlist { id status date personName
  offer { id status expiresAt slot { id startsAt remaining } } } }"""
ACCEPT = f"mutation($id: ID!) {{ acceptWaitlistOffer(offerId: $id) {{ {APPOINTMENT_FIELDS} }} }}"
CLOSE = """mutation($location: ID!, $date: Date!, $reason: String!) {
  closeLocationDay(locationId: $location, date: $date, reason: $reason) {
    date reason cancelledAppointments { id status cancelReason cancelNote } } }"""


@dataclass
class Tenant:
    account_id: str
    enterprise_id: str
    token: str
    doubles: Doubles

    def person(self) -> str:
        return self.doubles.personnel.add_person(self.enterprise_id)

    def application(self, review: str = "PASSED") -> str:
        return self.doubles.personnel.add_application(self.enterprise_id, review)


def new_tenant(doubles: Doubles, issuer: TestIssuer) -> Tenant:
    account_id = str(uuid.uuid4())
    enterprise_id = doubles.filing.add(account_id)
    return Tenant(account_id, enterprise_id, issuer.token(account_id, ["ENTERPRISE_USER"]), doubles)


async def book(
    client: httpx.AsyncClient,
    tenant: Tenant,
    slot_id: str,
    *,
    person: str | None = None,
    application: str | None = None,
    kind: str = "EXIT_ENTRY",
) -> dict[str, Any]:
    payload: dict[str, Any] = {"slotId": slot_id, "serviceType": kind}
    if application is not None:
        payload["applicationId"] = application
    else:
        payload["foreignPersonId"] = person or tenant.person()
    return await graphql(client, BOOK, {"input": payload}, token=tenant.token)


async def events_of(db: Database, subject: str) -> list[tuple[str, dict[str, Any]]]:
    """(type, data) of the outbox rows of one aggregate, oldest first; each checked against its
    JSON Schema and, when it names accounts, rendered by identity's notification templates."""
    async with db.unit_of_work() as session:
        rows = await session.execute(
            select(outbox.c.event_type, outbox.c.payload)
            .where(outbox.c.key == subject)
            .order_by(outbox.c.id)
        )
        found = [(row.event_type, json.loads(row.payload)) for row in rows]
    for event_type, envelope in found:
        schema = json.loads((EVENTS / f"{event_type}.schema.json").read_text())
        jsonschema.validate(envelope["data"], schema, cls=jsonschema.Draft202012Validator)
        assert envelope["dataschema"] == schema["$id"]
        if event_type in TEMPLATES and envelope["data"]["accountIds"]:
            assert render(event_type, envelope["data"])
    return [(event_type, envelope["data"]) for event_type, envelope in found]
