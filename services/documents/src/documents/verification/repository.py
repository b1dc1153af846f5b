from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from documents.verification.models import SigningKey, VerificationLog


async def signing_keys_with_prefix(session: AsyncSession, prefix: str) -> list[SigningKey]:
    query = select(SigningKey).where(SigningKey.key_id.startswith(prefix, autoescape=True))
    return list(await session.scalars(query))


async def register_key(session: AsyncSession, key_id: str, public_key: str) -> None:
    """Adds the key, or makes a retired one active again."""
    await session.execute(
        insert(SigningKey)
        .values(key_id=key_id, public_key=public_key)
        .on_conflict_do_update(index_elements=[SigningKey.key_id], set_={"retired_at": None})
    )


async def retire_all_but(session: AsyncSession, key_id: str, now: datetime) -> None:
    await session.execute(
        update(SigningKey)
        .where(SigningKey.key_id != key_id, SigningKey.retired_at.is_(None))
        .values(retired_at=now)
    )


async def keys(session: AsyncSession) -> list[SigningKey]:
    return list(await session.scalars(select(SigningKey).order_by(SigningKey.created_at)))


def log(session: AsyncSession, entry: VerificationLog) -> None:
    session.add(entry)


async def log_of(session: AsyncSession, token_digest: str) -> list[VerificationLog]:
    return list(
        await session.scalars(
            select(VerificationLog)
            .where(VerificationLog.token_digest == token_digest)
            .order_by(VerificationLog.verified_at)
        )
    )
