"""Handlers of identity's account events: keep the projection current (idempotent upsert)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from filing.accounts.models import AccountProjection
from servicekit.events import CloudEvent

APPROVED = "identity.account.approved"
REJECTED = "identity.account.rejected"


async def on_account_reviewed(session: AsyncSession, event: CloudEvent) -> None:
    data = event.data
    values = {
        "account_id": uuid.UUID(str(data["accountId"])),
        "name": str(data["name"]),
        "phone": data.get("phone"),
        "email": data.get("email"),
        "status": str(data["status"]),
        "updated_at": datetime.fromisoformat(event.time),
    }
    statement = insert(AccountProjection).values(**values)
    # Events of one account arrive in order (key = account id); never let an older one win.
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[AccountProjection.account_id],
            set_={k: statement.excluded[k] for k in values if k != "account_id"},
            where=AccountProjection.updated_at <= statement.excluded.updated_at,
        )
    )
