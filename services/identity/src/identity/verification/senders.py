"""Message senders. The console sender prints; production wires an SMS gateway / SMTP here."""

from __future__ import annotations

import logging
import re
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib

from identity.config import IdentitySettings
from identity.verification.models import Channel

log = logging.getLogger(__name__)
# A verification code in a message: six digits on their own. The console sender is also the SMS
# sender in production until a gateway is wired, so a code in its log line would let anyone who
# reads the logs register or reset a password with someone else's phone.
CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


class Sender(Protocol):
    async def send(self, channel: Channel, recipient: str, text: str) -> None: ...


class ConsoleSender:
    """Dev/test sender: the message goes to the log (masked, codes included) and, like every
    message, to the notification log, which `devMessages` reads in dev mode."""

    async def send(self, channel: Channel, recipient: str, text: str) -> None:
        log.info("console %s to %s: %s", channel.value, recipient, CODE.sub("******", text))


class SmtpSender:
    """E-mail through an SMTP server (aiosmtplib)."""

    def __init__(self, settings: IdentitySettings) -> None:
        self.settings = settings

    async def send(self, channel: Channel, recipient: str, text: str) -> None:
        message = EmailMessage()
        message["From"] = self.settings.smtp_sender
        message["To"] = recipient
        message["Subject"] = "涉外单位服务平台通知"
        message.set_content(text)
        assert self.settings.smtp_host is not None
        await aiosmtplib.send(
            message,
            hostname=self.settings.smtp_host,
            port=self.settings.smtp_port,
            username=self.settings.smtp_username,
            password=self.settings.smtp_password,
            start_tls=self.settings.smtp_starttls,
            timeout=10,
        )


class RoutingSender:
    """SMS and e-mail each to their own sender."""

    def __init__(self, sms: Sender, email: Sender) -> None:
        self._by_channel = {Channel.SMS: sms, Channel.EMAIL: email}

    async def send(self, channel: Channel, recipient: str, text: str) -> None:
        await self._by_channel[channel].send(channel, recipient, text)


def build_sender(settings: IdentitySettings) -> Sender:
    console = ConsoleSender()
    return RoutingSender(sms=console, email=SmtpSender(settings) if settings.smtp_host else console)
