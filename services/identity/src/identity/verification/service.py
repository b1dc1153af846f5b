"""Verification codes: 6 digits, valid 5 minutes, 5 tries, 60 s between sends, rate limits."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from identity.accounts.sign_in_limit import counted_address
from identity.config import IdentitySettings
from identity.errors import wrong_code
from identity.verification import repository
from identity.verification.models import Channel, CodePurpose, Notification, VerificationCode
from identity.verification.senders import Sender
from servicekit.db import keep_on_error, utcnow
from servicekit.errors import Message, RateLimited, ValidationFailed
from servicekit.validation import normalise_mobile

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def normalise_email(raw: str, path: str = "email") -> str:
    value = raw.strip().lower()
    if not EMAIL.match(value) or len(value) > 254:
        raise ValidationFailed.single(path, "电子邮箱格式不正确", "not an e-mail address")
    return value


def normalise_recipient(channel: Channel, raw: str) -> str:
    if channel is Channel.SMS:
        return normalise_mobile(raw, "recipient")
    return normalise_email(raw, "recipient")


@dataclass
class Codes:
    settings: IdentitySettings
    sender: Sender

    def _hash(self, recipient: str, code: str) -> str:
        key = self.settings.code_hash_secret.encode()
        return hmac.new(key, f"{recipient}:{code}".encode(), hashlib.sha256).hexdigest()

    async def request(
        self,
        session: AsyncSession,
        channel: Channel,
        raw_recipient: str,
        purpose: CodePurpose,
        client_ip: str | None,
    ) -> None:
        recipient = normalise_recipient(channel, raw_recipient)
        # Counted as the sign-in limit counts: an IPv4 address or an IPv6 /64, at most 64
        # characters whatever a direct caller sends.
        client_ip = None if client_ip is None else counted_address(client_ip)
        now = utcnow()
        latest = await repository.latest_code(session, recipient, purpose)
        gap = timedelta(seconds=self.settings.code_resend_gap_seconds)
        if latest is not None and now - latest.created_at < gap:
            raise RateLimited(
                Message(
                    "验证码发送过于频繁，请60秒后再试",
                    "Wait 60 seconds before requesting another code",
                )
            )
        hour_ago = now - timedelta(hours=1)
        per_recipient = await repository.count_codes_since(session, hour_ago, recipient=recipient)
        per_ip = (
            await repository.count_codes_since(session, hour_ago, client_ip=client_ip)
            if client_ip
            else 0
        )
        if (
            per_recipient >= self.settings.codes_per_recipient_per_hour
            or per_ip >= self.settings.codes_per_ip_per_hour
        ):
            raise RateLimited()
        code = f"{secrets.randbelow(1_000_000):06d}"
        session.add(
            VerificationCode(
                channel=channel,
                recipient=recipient,
                purpose=purpose,
                code_hash=self._hash(recipient, code),
                client_ip=client_ip,
                created_at=now,
                expires_at=now + timedelta(seconds=self.settings.code_validity_seconds),
            )
        )
        minutes = self.settings.code_validity_seconds // 60
        text = f"【涉外单位服务平台】您的验证码为{code}，{minutes}分钟内有效，请勿泄露给他人。"
        await notify(session, self.sender, channel, recipient, text)

    async def consume(
        self, session: AsyncSession, recipient: str, purpose: CodePurpose, code: str
    ) -> None:
        """Accepts the latest code once. Wrong tries are counted even though the request fails."""
        latest = await repository.latest_code(session, recipient, purpose)
        now = utcnow()
        if (
            latest is None
            or latest.consumed_at is not None
            or latest.expires_at <= now
            or latest.attempts >= self.settings.code_max_attempts
        ):
            raise wrong_code()
        if not hmac.compare_digest(latest.code_hash, self._hash(recipient, code.strip())):
            latest.attempts += 1
            keep_on_error(session)
            raise wrong_code()
        latest.consumed_at = now


async def notify(
    session: AsyncSession, sender: Sender, channel: Channel, recipient: str, text: str
) -> None:
    session.add(Notification(channel=channel, recipient=recipient, text=text, sent_at=utcnow()))
    await sender.send(channel, recipient, text)
