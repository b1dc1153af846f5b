"""Events of employment applications (topic `personnel.application.v1`, key = application id;
schemas: contracts/events/personnel.application.*.schema.json). identity's notifier tells
`accountIds` (every account acting for the enterprise, from filing). The person is named, as the
messages need; no document number travels."""

from __future__ import annotations

from typing import Any

from personnel.applications.models import KIND_NAMES, EmploymentApplication
from personnel.applications.printing import short_name
from personnel.db import outbox
from personnel.people.models import ForeignPerson
from servicekit.calendar import CHINA_TZ
from servicekit.db import utcnow
from servicekit.filing_client import EnterpriseDetails
from servicekit.outbox import Outbox

SUBMITTED = "personnel.application.submitted"
APPROVED = "personnel.application.approved"
REJECTED = "personnel.application.rejected"

publisher = Outbox(outbox, source="/services/personnel")


def progress_data(
    event_type: str,
    application: EmploymentApplication,
    person: ForeignPerson,
    enterprise: EnterpriseDetails,
) -> dict[str, Any]:
    assert application.submitted_at is not None and application.due_at is not None
    data: dict[str, Any] = {
        "applicationId": str(application.id),
        "applicationNumber": application.number,
        "enterpriseId": str(application.enterprise_id),
        "enterpriseName": enterprise.name,
        "foreignPersonId": str(application.foreign_person_id),
        "personName": short_name(person),
        "kind": str(application.kind),
        "kindName": KIND_NAMES[application.kind],
        "revision": application.revision,
        "submission": str(application.submission),
        "review": str(application.review),
        "submittedAt": application.submitted_at.isoformat(),
        "dueAt": application.due_at.isoformat(),
        "dueDate": application.due_at.astimezone(CHINA_TZ).date().isoformat(),
        "accountIds": sorted(set(enterprise.member_account_ids)),
        "occurredAt": utcnow().isoformat(),
    }
    if event_type in (APPROVED, REJECTED):
        assert application.decided_at is not None
        data["decidedAt"] = application.decided_at.isoformat()
    if event_type == APPROVED:
        data["issuedNumber"] = application.issued_number
    if event_type == REJECTED:
        data["reason"] = application.failure_reason
    return data
