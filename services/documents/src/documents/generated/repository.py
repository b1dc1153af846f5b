from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
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


async def latest_revision(session: AsyncSession, kind: str, subject_id: str) -> int | None:
    """The highest revision stored of (kind, subject); None when there is none."""
    latest = await session.scalar(
        select(func.max(Document.revision)).where(
            Document.kind == kind, Document.subject_id == subject_id
        )
    )
    return None if latest is None else int(latest)


async def add(session: AsyncSession, document: Document) -> None:
    session.add(document)
    await session.flush()
