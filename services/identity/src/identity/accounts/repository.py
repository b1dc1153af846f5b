from __future__ import annotations

import uuid
import zlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from identity.accounts.models import Account, AccountStatus, RefreshToken, SignInFailure
from identity.db import vault


async def get(
    session: AsyncSession, account_id: uuid.UUID, *, for_update: bool = False
) -> Account | None:
    query = select(Account).where(Account.id == account_id)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Account]:
    return list(await session.scalars(select(Account).where(Account.id.in_(ids))))


async def by_username(
    session: AsyncSession, username: str, *, for_update: bool = False
) -> Account | None:
    query = select(Account).where(
        or_(
            Account.username_hash == vault.blind_index(username, "username"),
            Account.phone_hash == vault.blind_index(username, "phone"),
            Account.email == username,
        )
    )
    return await session.scalar(query.with_for_update() if for_update else query)


async def exists_with(session: AsyncSession, *, phone: str | None, email: str | None) -> bool:
    """Phones and usernames are encrypted at rest: their keyed hashes are compared."""
    conditions = []
    if phone:
        conditions += [
            Account.phone_hash == vault.blind_index(phone, "phone"),
            Account.username_hash == vault.blind_index(phone, "username"),
        ]
    if email:
        conditions += [
            Account.email == email,
            Account.username_hash == vault.blind_index(email, "username"),
        ]
    if not conditions:
        return False
    return bool(await session.scalar(select(func.count()).where(or_(*conditions))))


async def pending(session: AsyncSession, offset: int, limit: int) -> tuple[list[Account], int]:
    condition = Account.status == AccountStatus.PENDING_APPROVAL
    total = int(await session.scalar(select(func.count()).where(condition)) or 0)
    rows = await session.scalars(
        select(Account)
        .where(condition)
        .order_by(Account.approval_due_at, Account.created_at, Account.id)
        .offset(offset)
        .limit(limit)
    )
    return list(rows), total


async def refresh_token(session: AsyncSession, token_hash: str) -> RefreshToken | None:
    return await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
    )


# The first key of the per-address sign-in advisory locks (the second is the address's hash).
SIGN_IN_LOCKS = zlib.crc32(b"identity.sign_in_failures") & 0x7FFFFFFF


async def lock_sign_ins_from(session: AsyncSession, client_ip: str) -> None:
    """Sign-ins from one address wait for each other until the transaction ends: concurrent
    attempts cannot all pass the per-address limit before any of their failures is written."""
    await session.execute(
        select(func.pg_advisory_xact_lock(SIGN_IN_LOCKS, func.hashtext(client_ip)))
    )


async def sign_in_failures_since(
    session: AsyncSession, client_ip: str, since: datetime, limit: int
) -> list[datetime]:
    """When the address's latest failures (at most `limit`) since `since` happened, newest first."""
    rows = await session.scalars(
        select(SignInFailure.attempted_at)
        .where(SignInFailure.client_ip == client_ip, SignInFailure.attempted_at >= since)
        .order_by(SignInFailure.attempted_at.desc())
        .limit(limit)
    )
    return list(rows)


async def delete_sign_in_failures_before(
    session: AsyncSession, before: datetime, batch: int
) -> int:
    """Deletes up to `batch` failures older than `before` (skipping rows another replica's
    sweeper holds); answers how many."""
    expired = (
        select(SignInFailure.id)
        .where(SignInFailure.attempted_at < before)
        .order_by(SignInFailure.attempted_at)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    deleted = await session.scalars(
        delete(SignInFailure).where(SignInFailure.id.in_(expired)).returning(SignInFailure.id)
    )
    return len(deleted.all())
