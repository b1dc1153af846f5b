"""Which enterprise an enterprise user acts for (filing's gRPC: membership changes at once when a
liaison is replaced) and whether its filing is approved (the projection, else filing's answer)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from personnel.enterprises.models import EnterpriseProjection
from personnel.errors import EnterpriseNotFiled, NoEnterprise, NotEnterpriseUser
from servicekit.auth import Actor, Role
from servicekit.filing_client import EnterpriseRef, FilingEnterprises

log = logging.getLogger(__name__)


@dataclass
class Enterprises:
    filing: FilingEnterprises

    async def of_actor(self, actor: Actor) -> EnterpriseRef | None:
        if Role.ENTERPRISE_USER not in actor.roles:
            raise NotEnterpriseUser()
        return await self.filing.of_account(actor.account_id)

    async def filed_of_actor(self, session: AsyncSession, actor: Actor) -> EnterpriseRef:
        """The actor's enterprise, which must be filed (foreign persons and applications)."""
        enterprise = await self.of_actor(actor)
        if enterprise is None:
            raise NoEnterprise()
        known = await session.get(EnterpriseProjection, enterprise.id)
        if known is not None and known.is_filed:
            return enterprise
        if enterprise.is_filed:  # approved, and the event is still on its way
            log.info("enterprise %s: filed per filing, projection not caught up", enterprise.id)
            return enterprise
        raise EnterpriseNotFiled()

    async def names(
        self, session: AsyncSession, enterprise_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, EnterpriseProjection]:
        rows = await session.scalars(
            select(EnterpriseProjection).where(
                EnterpriseProjection.enterprise_id.in_(enterprise_ids)
            )
        )
        return {row.enterprise_id: row for row in rows}
