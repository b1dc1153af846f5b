"""Handlers of filing's enterprise events: keep the projection current (idempotent upsert; an
older event never overwrites a newer one)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from personnel.enterprises.models import EnterpriseProjection
from servicekit.events import CloudEvent

APPROVED = "filing.enterprise.approved"
CHANGED = "filing.enterprise.changed"


async def on_enterprise_event(session: AsyncSession, event: CloudEvent) -> None:
    data = event.data
    values = {
        "enterprise_id": uuid.UUID(str(data["enterpriseId"])),
        "name": str(data["enterpriseName"]),
        "uscc": data.get("uscc"),
        "district": data.get("district"),
        "is_filed": True,  # both events follow an approval
        "updated_at": datetime.fromisoformat(event.time),
    }
    if "version" in data:
        values["version"] = int(data["version"])
    statement = insert(EnterpriseProjection).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[EnterpriseProjection.enterprise_id],
            set_={k: statement.excluded[k] for k in values if k != "enterprise_id"},
            where=EnterpriseProjection.updated_at <= statement.excluded.updated_at,
        )
    )
