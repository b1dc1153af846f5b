"""Message senders. The console sender prints; production wires an SMS gateway / SMTP here."""

from __future__ import annotations

import logging
from typing import Protocol

from identity.verification.models import Channel

log = logging.getLogger(__name__)


class Sender(Protocol):
    async def send(self, channel: Channel, recipient: str, text: str) -> None: ...


class ConsoleSender:
    """Dev/test sender: the message goes to the log (masked) and, like every message, to the
    notification log, which `devMessages` reads in dev mode."""

    async def send(self, channel: Channel, recipient: str, text: str) -> None:
        log.info("console %s to %s: %s", channel.value, recipient, text)
