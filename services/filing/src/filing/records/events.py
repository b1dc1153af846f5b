"""Events filing publishes. Topic `filing.enterprise.v1` for a record's progress and the
enterprise's data, `filing.liaison.v1` for its liaisons; the key is the enterprise id, so the
events of one enterprise stay in order. Schemas: contracts/events/filing.*.schema.json."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from filing.db import outbox
from filing.enterprises.models import (
    ChangeKind,
    Enterprise,
    EnterpriseMember,
    Filing,
    FilingStatus,
    Liaison,
    Review,
)
from servicekit.db import utcnow
from servicekit.outbox import Outbox

SUBMITTED = "filing.enterprise.submitted"
BRANCH_APPROVED = "filing.enterprise.branch_approved"
APPROVED = "filing.enterprise.approved"
REJECTED = "filing.enterprise.rejected"
CHANGED = "filing.enterprise.changed"
LIAISON_CHANGED = "filing.liaison.changed"

publisher = Outbox(outbox, source="/services/filing")


async def recipients(session: AsyncSession, record: Filing) -> list[str]:
    """Who is told about a record: the enterprise's members and the record's creator (for an
    undecided takeover, its applicant only: the current users do not see it)."""
    if record.change_kind == ChangeKind.LIAISON_TAKEOVER and record.status != FilingStatus.APPROVED:
        return [str(record.created_by)]
    members = await session.scalars(
        select(EnterpriseMember.account_id).where(
            EnterpriseMember.enterprise_id == record.enterprise_id
        )
    )
    return sorted({str(account) for account in [*members, record.created_by]})


async def record_progress(
    session: AsyncSession,
    event_type: str,
    record: Filing,
    enterprise: Enterprise,
    review: Review | None = None,
) -> None:
    data: dict[str, Any] = {
        "filingId": str(record.id),
        "enterpriseId": str(enterprise.id),
        "enterpriseName": enterprise.name,
        "uscc": enterprise.uscc,
        "district": record.district,
        "recordType": record.record_type,
        "changeKind": record.change_kind,
        "revision": record.revision,
        "status": record.status,
        "accountIds": await recipients(session, record),
        "occurredAt": utcnow().isoformat(),
    }
    if review is not None and event_type in (BRANCH_APPROVED, REJECTED):
        data["level"] = review.level
        data["comment"] = review.comment
    if review is not None and event_type == REJECTED:
        data["fieldIssues"] = review.field_issues
        data["attachmentIssues"] = review.attachment_issues
    await publisher.record(session, event_type, str(enterprise.id), data)


async def enterprise_changed(
    session: AsyncSession, record: Filing, enterprise: Enterprise, changed_fields: list[str]
) -> None:
    await publisher.record(
        session,
        CHANGED,
        str(enterprise.id),
        {
            "enterpriseId": str(enterprise.id),
            "filingId": str(record.id),
            "enterpriseName": enterprise.name,
            "uscc": enterprise.uscc,
            "district": enterprise.district,
            "version": enterprise.version,
            "changedFields": changed_fields,
            "accountIds": await recipients(session, record),
            "occurredAt": utcnow().isoformat(),
        },
    )


async def liaisons_changed(
    session: AsyncSession,
    record: Filing,
    enterprise: Enterprise,
    kind: str,
    liaisons: Iterable[Liaison],
    added: Iterable[uuid.UUID],
    removed: Iterable[uuid.UUID],
) -> None:
    removed_ids = sorted({str(account) for account in removed})
    await publisher.record(
        session,
        LIAISON_CHANGED,
        str(enterprise.id),
        {
            "enterpriseId": str(enterprise.id),
            "filingId": str(record.id),
            "enterpriseName": enterprise.name,
            "kind": kind,
            "liaisons": [
                {
                    "id": str(liaison.id),
                    "name": liaison.name,
                    "mobile": liaison.mobile,
                    "accountId": str(liaison.account_id) if liaison.account_id else None,
                }
                for liaison in liaisons
            ],
            "addedAccountIds": sorted({str(account) for account in added}),
            "removedAccountIds": removed_ids,
            "accountIds": sorted({*await recipients(session, record), *removed_ids}),
            "occurredAt": utcnow().isoformat(),
        },
    )
