from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from identity.accounts.models import Account, AccountStatus, RefreshToken
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
