"""Inbox handlers of the events identity consumes, one per event type; an event that several
areas react to runs their handlers in order, in one transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from identity.consumers.liaisons import LIAISON_CHANGED, sign_out_removed_liaisons
from identity.notifications.consumers import handlers as notification_handlers
from identity.verification.senders import Sender
from servicekit.events import CloudEvent
from servicekit.inbox import Handler


def in_order(*steps: Handler) -> Handler:
    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        for step in steps:
            await step(session, event)

    return handle


def handlers(sender: Sender) -> dict[str, Handler]:
    """The topics identity subscribes to follow from these event types (`topic_of`)."""
    combined = notification_handlers(sender)
    # Signed out first: the notification tells the former liaison it happened.
    combined[LIAISON_CHANGED] = in_order(sign_out_removed_liaisons, combined[LIAISON_CHANGED])
    return combined
