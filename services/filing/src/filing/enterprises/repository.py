from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from filing.accounts.models import AccountProjection
from filing.db import vault
from filing.enterprises.models import (
    Enterprise,
    EnterpriseMember,
    EnterpriseVersion,
    FiledAttachment,
    Filing,
    Liaison,
    RecordType,
    Review,
)


async def enterprise(
    session: AsyncSession, enterprise_id: uuid.UUID, *, for_update: bool = False
) -> Enterprise | None:
    return await session.get(Enterprise, enterprise_id, with_for_update=for_update)


async def enterprises_by_id(
    session: AsyncSession, enterprise_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Enterprise]:
    rows = await session.scalars(select(Enterprise).where(Enterprise.id.in_(enterprise_ids)))
    return {row.id: row for row in rows}


async def versions(session: AsyncSession, enterprise_id: uuid.UUID) -> list[EnterpriseVersion]:
    rows = await session.scalars(
        select(EnterpriseVersion)
        .where(EnterpriseVersion.enterprise_id == enterprise_id)
        .order_by(EnterpriseVersion.version.desc())
    )
    return list(rows)


async def enterprise_by_uscc(session: AsyncSession, uscc: str) -> Enterprise | None:
    return await session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))


async def enterprises_of_accounts(
    session: AsyncSession, account_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Enterprise]:
    rows = await session.execute(
        select(EnterpriseMember.account_id, Enterprise)
        .join(Enterprise, Enterprise.id == EnterpriseMember.enterprise_id)
        .where(EnterpriseMember.account_id.in_(account_ids))
    )
    return {account_id: found for account_id, found in rows}


async def latest_filing(session: AsyncSession, enterprise_id: uuid.UUID) -> Filing | None:
    return await session.scalar(
        select(Filing)
        .where(Filing.enterprise_id == enterprise_id, Filing.record_type == RecordType.NEW)
        .order_by(Filing.created_at.desc())
        .limit(1)
    )


async def latest_filings(
    session: AsyncSession, enterprise_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Filing]:
    rows = await session.scalars(
        select(Filing)
        .where(Filing.enterprise_id.in_(enterprise_ids), Filing.record_type == RecordType.NEW)
        .ext(distinct_on(Filing.enterprise_id))
        .order_by(Filing.enterprise_id, Filing.created_at.desc())
    )
    return {row.enterprise_id: row for row in rows}


async def filing(
    session: AsyncSession, filing_id: uuid.UUID, *, for_update: bool = False
) -> Filing | None:
    query = select(Filing).where(Filing.id == filing_id)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


Row = TypeVar("Row")


def grouped(
    rows: Iterable[Row], keys: Sequence[uuid.UUID], key_of: Callable[[Row], uuid.UUID]
) -> dict[uuid.UUID, list[Row]]:
    """Rows by owner, in their order; every key present (a DataLoader answers each key)."""
    found: dict[uuid.UUID, list[Row]] = {key: [] for key in keys}
    for row in rows:
        found[key_of(row)].append(row)
    return found


async def liaisons_of(
    session: AsyncSession, enterprise_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Liaison]]:
    rows = await session.scalars(
        select(Liaison)
        .where(Liaison.enterprise_id.in_(enterprise_ids))
        .order_by(Liaison.position_order)
    )
    return grouped(rows, enterprise_ids, lambda row: row.enterprise_id)


async def reviews_of(
    session: AsyncSession, filing_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Review]]:
    rows = await session.scalars(
        select(Review).where(Review.filing_id.in_(filing_ids)).order_by(Review.decided_at)
    )
    return grouped(rows, filing_ids, lambda row: row.filing_id)


async def attachments_of(
    session: AsyncSession, filing_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[FiledAttachment]]:
    rows = await session.scalars(
        select(FiledAttachment)
        .where(FiledAttachment.filing_id.in_(filing_ids))
        .order_by(FiledAttachment.attached_at)
    )
    return grouped(rows, filing_ids, lambda row: row.filing_id)


async def replace_liaisons(
    session: AsyncSession, enterprise_id: uuid.UUID, liaisons: list[Liaison]
) -> None:
    await session.execute(delete(Liaison).where(Liaison.enterprise_id == enterprise_id))
    session.add_all(liaisons)


async def active_accounts_by_phone(
    session: AsyncSession, phones: Sequence[str]
) -> dict[str, uuid.UUID]:
    """Phones are encrypted at rest: they are found by their keyed hashes."""
    hashes = [vault.blind_index(phone, "phone") for phone in phones]
    rows = await session.execute(
        select(AccountProjection.phone, AccountProjection.account_id).where(
            AccountProjection.phone_hash.in_(hashes), AccountProjection.status == "ACTIVE"
        )
    )
    return {phone: account_id for phone, account_id in rows if phone}


async def open_takeover(
    session: AsyncSession, enterprise_id: uuid.UUID, account_id: uuid.UUID
) -> Filing | None:
    return await session.scalar(
        select(Filing)
        .where(
            Filing.enterprise_id == enterprise_id,
            Filing.created_by == account_id,
            Filing.change_kind == "LIAISON_TAKEOVER",
            Filing.status.not_in(["APPROVED"]),
        )
        .with_for_update()
    )


async def members_of(session: AsyncSession, enterprise_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(EnterpriseMember.account_id)
        .where(EnterpriseMember.enterprise_id == enterprise_id)
        .order_by(EnterpriseMember.created_at)
    )
    return list(rows)


async def members_with_roles(
    session: AsyncSession, enterprise_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[uuid.UUID, str]]]:
    """Each enterprise's accounts and their roles, oldest member first."""
    rows = await session.execute(
        select(EnterpriseMember.enterprise_id, EnterpriseMember.account_id, EnterpriseMember.role)
        .where(EnterpriseMember.enterprise_id.in_(enterprise_ids))
        .order_by(EnterpriseMember.created_at, EnterpriseMember.account_id)
    )
    found: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {key: [] for key in enterprise_ids}
    for enterprise_id, account, role in rows:
        found[enterprise_id].append((account, role))
    return found
