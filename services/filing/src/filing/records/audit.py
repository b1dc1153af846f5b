"""The audit log: who changed or read which record, when. Entries are written in the caller's
transaction, so a change and its entry are stored together or not at all."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from filing.enterprises.models import AuditEntry, Filing
from servicekit.auth import Actor, Role
from servicekit.errors import Forbidden
from servicekit.graphql import Page

AUDITORS = (Role.CITY_OFFICER, Role.ADMIN)


def record(
    session: AsyncSession,
    actor: Actor,
    action: str,
    filing: Filing | None = None,
    *,
    enterprise_id: uuid.UUID | None = None,
    **detail: Any,
) -> None:
    session.add(
        AuditEntry(
            actor_id=uuid.UUID(actor.account_id),
            actor_name=actor.name or "",
            actor_roles=sorted(role.value for role in actor.roles),
            action=action,
            filing_id=filing.id if filing else None,
            enterprise_id=filing.enterprise_id if filing else enterprise_id,
            detail=detail,
        )
    )


@dataclass(frozen=True)
class Read:
    """An officer's read of personal data: a record, or an enterprise's approved data."""

    action: str  # filing.read | enterprise.read
    enterprise_id: uuid.UUID
    filing_id: uuid.UUID | None = None
    revision: int | None = None


def reads(session: AsyncSession, actor: Actor, items: list[Read]) -> None:
    for item in items:
        session.add(
            AuditEntry(
                actor_id=uuid.UUID(actor.account_id),
                actor_name=actor.name or "",
                actor_roles=sorted(role.value for role in actor.roles),
                action=item.action,
                filing_id=item.filing_id,
                enterprise_id=item.enterprise_id,
                detail={} if item.revision is None else {"revision": item.revision},
            )
        )


async def entries(
    session: AsyncSession,
    actor: Actor,
    page: Page,
    *,
    filing_id: uuid.UUID | None = None,
    enterprise_id: uuid.UUID | None = None,
    action: str | None = None,
    since: datetime | None = None,
) -> tuple[list[AuditEntry], int]:
    """Newest first; city officers and admins only."""
    if not actor.has_any(AUDITORS):
        raise Forbidden()
    query = select(AuditEntry)
    if filing_id is not None:
        query = query.where(AuditEntry.filing_id == filing_id)
    if enterprise_id is not None:
        query = query.where(AuditEntry.enterprise_id == enterprise_id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset(page.offset)
        .limit(page.limit)
    )
    return list(rows), total or 0
