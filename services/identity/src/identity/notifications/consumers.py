"""Inbox handlers: each known decision event becomes an SMS (or e-mail) to each account named."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from identity.accounts import repository
from identity.notifications.templates import TEMPLATES, MissingField, render
from identity.verification.models import Channel
from identity.verification.senders import Sender
from identity.verification.service import notify
from servicekit.events import CloudEvent
from servicekit.inbox import Handler

log = logging.getLogger(__name__)


def notifier(sender: Sender) -> Handler:
    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        texts: dict[uuid.UUID, str] = {}
        try:
            for audience, text in render(event.type, event.data):
                for value in event.data.get(audience) or []:
                    texts.setdefault(uuid.UUID(str(value)), text)
        except (MissingField, ValueError, TypeError) as exc:
            # A malformed event from another service is reported, not retried forever.
            log.warning("cannot notify about %s %s: %s", event.type, event.id, exc)
            return
        for account in await repository.get_many(session, list(texts)):
            text = texts[account.id]
            if account.phone:
                await notify(session, sender, Channel.SMS, account.phone, text)
            elif account.email:
                await notify(session, sender, Channel.EMAIL, account.email, text)

    return handle


def handlers(sender: Sender) -> dict[str, Handler]:
    """Events identity does not know are not subscribed to, or skipped on a shared topic."""
    handle = notifier(sender)
    return dict.fromkeys(TEMPLATES, handle)
