"""Who may see and act on which application.

Enterprise users: their enterprise's applications (any of its accounts: liaisons and HR users;
membership is filing's answer). Another enterprise's id is NOT_FOUND, revealing nothing.
Labour officers: every application that was ever submitted (their queue). Other roles: FORBIDDEN.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from personnel.applications import repository
from personnel.applications.models import EmploymentApplication
from personnel.enterprises.service import Enterprises
from personnel.errors import (
    ApplicationsNeedFiling,
    EnterpriseNotFiled,
    NoEnterprise,
    NotApplicant,
)
from servicekit.auth import Actor, Role
from servicekit.errors import Forbidden, NotFound
from servicekit.filing_client import EnterpriseRef


def parse(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFound() from exc


@dataclass(frozen=True)
class ReadScope:
    """Labour officers: everything submitted; an enterprise user: their enterprise's (None: the
    user acts for no enterprise yet, and sees nothing)."""

    officer: bool
    enterprise_id: uuid.UUID | None = None

    def allows(self, application: EmploymentApplication) -> bool:
        if self.officer:
            return application.submitted_at is not None
        return self.enterprise_id is not None and application.enterprise_id == self.enterprise_id


async def read_scope(enterprises: Enterprises, actor: Actor) -> ReadScope:
    if Role.LABOUR_OFFICER in actor.roles:
        return ReadScope(officer=True)
    if Role.ENTERPRISE_USER not in actor.roles:
        raise Forbidden()
    enterprise = await enterprises.of_actor(actor)
    return ReadScope(officer=False, enterprise_id=enterprise.id if enterprise else None)


async def filed_enterprise(
    session: AsyncSession, enterprises: Enterprises, actor: Actor
) -> EnterpriseRef:
    """The enterprise an applicant acts for; its filing must be approved."""
    if Role.ENTERPRISE_USER not in actor.roles:
        raise NotApplicant()
    try:
        return await enterprises.filed_of_actor(session, actor)
    except (NoEnterprise, EnterpriseNotFiled) as exc:
        raise ApplicationsNeedFiling() from exc


async def own(
    session: AsyncSession, enterprise_id: uuid.UUID, application_id: str
) -> EmploymentApplication:
    """The enterprise's application, locked for the change."""
    found = await repository.get(session, parse(application_id), for_update=True)
    if found is None or found.enterprise_id != enterprise_id:
        raise NotFound()
    return found
