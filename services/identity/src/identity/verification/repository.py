from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from identity.db import vault
from identity.verification.models import CodePurpose, Notification, VerificationCode


def _hash(recipient: str) -> str:
    """Recipients are encrypted at rest: they are found by their keyed hash."""
    return vault.blind_index(recipient, "recipient")


async def latest_code(
    session: AsyncSession, recipient: str, purpose: CodePurpose
) -> VerificationCode | None:
    return await session.scalar(
        select(VerificationCode)
        .where(
            VerificationCode.recipient_hash == _hash(recipient),
            VerificationCode.purpose == purpose,
        )
        .order_by(VerificationCode.created_at.desc())
        .limit(1)
        .with_for_update()
    )


async def count_codes_since(
    session: AsyncSession,
    since: datetime,
    *,
    recipient: str | None = None,
    client_ip: str | None = None,
) -> int:
    query = (
        select(func.count())
        .select_from(VerificationCode)
        .where(VerificationCode.created_at >= since)
    )
    if recipient is not None:
        query = query.where(VerificationCode.recipient_hash == _hash(recipient))
    if client_ip is not None:
        query = query.where(VerificationCode.client_ip == client_ip)
    return int(await session.scalar(query) or 0)


async def messages_to(session: AsyncSession, recipient: str, limit: int = 20) -> list[Notification]:
    result = await session.scalars(
        select(Notification)
        .where(Notification.recipient_hash == _hash(recipient))
        .order_by(Notification.sent_at.desc())
        .limit(limit)
    )
    return list(result)
