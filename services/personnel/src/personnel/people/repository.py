from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

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


def _matching(text: str | None) -> list[ColumnElement[bool]]:
    """`text` matches any name (case-insensitively, in part) or the whole document number (it
    is encrypted: its keyed hash answers exact matches only)."""
    if not text:
        return []
    pattern = f"%{_escape_like(text)}%"
    full_name = func.concat_ws(" ", ForeignPerson.surname, ForeignPerson.given_names)
    return [
        or_(
            full_name.ilike(pattern, escape="\\"),
            func.concat_ws(" ", ForeignPerson.given_names, ForeignPerson.surname).ilike(
                pattern, escape="\\"
            ),
            ForeignPerson.chinese_name.ilike(pattern, escape="\\"),
            ForeignPerson.document_number_hash == vault.blind_index(text, "document"),
        )
    ]


# Newest first, the same order for one enterprise's list and for a page of each of several.
NEWEST_FIRST = (ForeignPerson.created_at.desc(), ForeignPerson.id)


async def search(
    session: AsyncSession,
    enterprise_id: uuid.UUID | None,
    text: str | None,
    offset: int,
    limit: int,
) -> tuple[list[ForeignPerson], int]:
    """Newest first. `enterprise_id` None means every enterprise; `text` as `_matching`."""
    conditions = _matching(text)
    if enterprise_id is not None:
        conditions.append(ForeignPerson.enterprise_id == enterprise_id)
    total = int(
        await session.scalar(select(func.count()).select_from(ForeignPerson).where(*conditions))
        or 0
    )
    rows = await session.scalars(
        select(ForeignPerson).where(*conditions).order_by(*NEWEST_FIRST).offset(offset).limit(limit)
    )
    return list(rows), total


async def search_of_enterprises(
    session: AsyncSession,
    enterprise_ids: Sequence[uuid.UUID],
    text: str | None,
    offset: int,
    limit: int,
) -> dict[uuid.UUID, tuple[list[ForeignPerson], int]]:
    """`search` of each enterprise at once, in two queries whatever their number: the same page
    of each one's list (numbered per enterprise by a window function) and each one's total."""
    conditions = [ForeignPerson.enterprise_id.in_(enterprise_ids), *_matching(text)]
    counted = await session.execute(
        select(ForeignPerson.enterprise_id, func.count())
        .where(*conditions)
        .group_by(ForeignPerson.enterprise_id)
    )
    totals: dict[uuid.UUID, int] = {key: int(count) for key, count in counted}
    pages: dict[uuid.UUID, tuple[list[ForeignPerson], int]] = {
        key: ([], totals.get(key, 0)) for key in enterprise_ids
    }
    if limit == 0 or not totals:
        return pages
    place = (
        func.row_number()
        .over(partition_by=ForeignPerson.enterprise_id, order_by=NEWEST_FIRST)
        .label("place_in_enterprise")
    )
    numbered = select(ForeignPerson, place).where(*conditions).subquery()
    person = aliased(ForeignPerson, numbered)
    rows = await session.scalars(
        select(person)
        .where(numbered.c.place_in_enterprise.between(offset + 1, offset + limit))
        .order_by(numbered.c.enterprise_id, numbered.c.place_in_enterprise)
    )
    for row in rows:
        pages[row.enterprise_id][0].append(row)
    return pages
