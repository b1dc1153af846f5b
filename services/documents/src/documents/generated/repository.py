from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from documents.generated.models import Document


async def get(session: AsyncSession, document_id: uuid.UUID) -> Document | None:
    return await session.get(Document, document_id)


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Document]:
    return list(await session.scalars(select(Document).where(Document.id.in_(ids))))


async def revision_of(
    session: AsyncSession, kind: str, subject_id: str, revision: int
) -> Document | None:
    return await session.scalar(
        select(Document).where(
            Document.kind == kind,
            Document.subject_id == subject_id,
            Document.revision == revision,
        )
    )


async def has_newer_revision(session: AsyncSession, document: Document) -> bool:
    newer = exists().where(
        Document.kind == document.kind,
        Document.subject_id == document.subject_id,
        Document.revision > document.revision,
    )
    return bool(await session.scalar(select(newer)))


async def add(session: AsyncSession, document: Document) -> None:
    session.add(document)
    await session.flush()
