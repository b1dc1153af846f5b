"""The applications' audit trail: every change and every officer read, as rows in
`application_audit` written in the request's transaction, and as a `personnel.audit` log line
(the way foreign person reads are logged). A row's detail may hold the issued number: it is
encrypted at rest (ApplicationAudit), and the log line carries ids only."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from personnel.applications.models import ApplicationAudit, EmploymentApplication
from servicekit.auth import Actor

log = logging.getLogger("personnel.audit")


def record(
    session: AsyncSession,
    actor: Actor,
    action: str,
    application: EmploymentApplication,
    **detail: Any,
) -> None:
    session.add(
        ApplicationAudit(
            actor_id=uuid.UUID(actor.account_id),
            actor_roles=sorted(role.value for role in actor.roles),
            action=action,
            application_id=application.id,
            enterprise_id=application.enterprise_id,
            detail=detail,
        )
    )


def reads(
    session: AsyncSession, actor: Actor, applications: Sequence[EmploymentApplication]
) -> None:
    """An officer's read of full records (the form holds salary and contract data)."""
    if not actor.is_officer or not applications:
        return
    ids = [str(application.id) for application in applications]
    for application in applications:
        record(session, actor, "application.read", application, revision=application.revision)
    log.info(
        "officer %s read %d employment application(s): %s",
        actor.account_id,
        len(ids),
        ",".join(ids),
        extra={"audit": "application.read", "actor": actor.account_id, "applications": ids},
    )
