from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from documents.attachments.models import Attachment


async def get(session: AsyncSession, attachment_id: uuid.UUID) -> Attachment | None:
    return await session.get(Attachment, attachment_id)


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Attachment]:
    return list(await session.scalars(select(Attachment).where(Attachment.id.in_(ids))))


async def add(session: AsyncSession, attachment: Attachment) -> None:
    session.add(attachment)
    await session.flush()
