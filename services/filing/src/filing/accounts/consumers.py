"""Handlers of identity's account events: keep the projection current (idempotent upsert)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from filing.accounts.models import AccountProjection
from filing.db import vault
from servicekit.events import CloudEvent

APPROVED = "identity.account.approved"
REJECTED = "identity.account.rejected"


async def on_account_reviewed(session: AsyncSession, event: CloudEvent) -> None:
    data = event.data
    phone = data.get("phone")
    values = {
        "account_id": uuid.UUID(str(data["accountId"])),
        "name": str(data["name"]),
        "phone": phone,
        # A Core upsert sets no ORM attribute: the phone's keyed hash is computed here.
        "phone_hash": vault.blind_index(phone, "phone") if phone else None,
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
