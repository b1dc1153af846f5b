"""Enterprises filed in the old system: identity imports their liaison's account and tells filing
(`identity.account.imported`), which starts a pre-filled DRAFT for the liaison to supplement."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from filing.accounts.consumers import on_account_reviewed
from filing.enterprises.models import (
    Enterprise,
    EnterpriseMember,
    Filing,
    FilingStatus,
    Liaison,
    RecordType,
)
from servicekit.events import CloudEvent

IMPORTED = "identity.account.imported"


async def on_account_imported(session: AsyncSession, event: CloudEvent) -> None:
    await on_account_reviewed(session, event)  # the projection knows the (ACTIVE) account too
    data = event.data
    account_id = uuid.UUID(str(data["accountId"]))
    if await session.get(EnterpriseMember, account_id) is not None:
        return  # already acting for an enterprise: nothing to pre-fill
    name = str(data["enterpriseName"]).strip()
    enterprise = Enterprise(id=uuid.uuid4(), name=name, uscc=None, is_legacy=True)
    session.add(enterprise)
    await session.flush()
    session.add(EnterpriseMember(account_id=account_id, enterprise_id=enterprise.id))
    session.add(
        Liaison(
            id=uuid.uuid4(),
            enterprise_id=enterprise.id,
            account_id=account_id,
            name=str(data["name"]),
            mobile=str(data["phone"]),
            position_order=0,
        )
    )
    session.add(
        Filing(
            id=uuid.uuid4(),
            enterprise_id=enterprise.id,
            record_type=RecordType.NEW,
            status=FilingStatus.DRAFT,
            revision=1,
            created_by=account_id,
            data={"enterprise_name": name, "legacy": True},
        )
    )
