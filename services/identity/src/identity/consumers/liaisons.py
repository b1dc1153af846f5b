"""`filing.liaison.changed`: an account that no longer acts for an enterprise is signed out."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from identity.accounts.sessions import sign_out_everywhere
from servicekit.events import CloudEvent

log = logging.getLogger(__name__)

LIAISON_CHANGED = "filing.liaison.changed"


async def sign_out_removed_liaisons(session: AsyncSession, event: CloudEvent) -> None:
    """Its refresh tokens are revoked, so it cannot refresh its access token; the access token it
    holds lives out its short TTL. A malformed id is raised, so that the event ends in the
    dead-letter topic for an operator instead of a former liaison silently keeping a session."""
    added = {uuid.UUID(str(value)) for value in event.data.get("addedAccountIds") or []}
    removed = {uuid.UUID(str(value)) for value in event.data["removedAccountIds"]} - added
    ended = 0
    for account_id in sorted(removed):
        ended += await sign_out_everywhere(session, account_id)
    log.info(
        "%s %s (enterprise %s): %d session(s) of %d removed account(s) revoked",
        event.type,
        event.id,
        event.subject,
        ended,
        len(removed),
    )
