from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from personnel.db import vault
from personnel.people.models import ForeignPerson, TravelDocumentType


async def get(
    session: AsyncSession, person_id: uuid.UUID, *, for_update: bool = False
) -> ForeignPerson | None:
    query = select(ForeignPerson).where(ForeignPerson.id == person_id)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[ForeignPerson]:
    if not ids:
        return []
    return list(await session.scalars(select(ForeignPerson).where(ForeignPerson.id.in_(ids))))


async def by_document(
    session: AsyncSession,
    enterprise_id: uuid.UUID,
    document_type: TravelDocumentType,
    document_number: str,
) -> ForeignPerson | None:
    return await session.scalar(
        select(ForeignPerson).where(
            ForeignPerson.enterprise_id == enterprise_id,
            ForeignPerson.document_type == document_type,
            ForeignPerson.document_number_hash == vault.blind_index(document_number, "document"),
        )
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search(
    session: AsyncSession,
    enterprise_id: uuid.UUID | None,
    text: str | None,
    offset: int,
    limit: int,
) -> tuple[list[ForeignPerson], int]:
    """Newest first. `enterprise_id` None means every enterprise; `text` matches any name
    (case-insensitively, in part) or the whole document number (it is encrypted: its keyed hash
    answers exact matches only)."""
    conditions = []
    if enterprise_id is not None:
        conditions.append(ForeignPerson.enterprise_id == enterprise_id)
    if text:
        pattern = f"%{_escape_like(text)}%"
        full_name = func.concat_ws(" ", ForeignPerson.surname, ForeignPerson.given_names)
        conditions.append(
            or_(
                full_name.ilike(pattern, escape="\\"),
                func.concat_ws(" ", ForeignPerson.given_names, ForeignPerson.surname).ilike(
                    pattern, escape="\\"
                ),
                ForeignPerson.chinese_name.ilike(pattern, escape="\\"),
                ForeignPerson.document_number_hash == vault.blind_index(text, "document"),
            )
        )
    total = int(
        await session.scalar(select(func.count()).select_from(ForeignPerson).where(*conditions))
        or 0
    )
    rows = await session.scalars(
        select(ForeignPerson)
        .where(*conditions)
        .order_by(ForeignPerson.created_at.desc(), ForeignPerson.id)
        .offset(offset)
        .limit(limit)
    )
    return list(rows), total
