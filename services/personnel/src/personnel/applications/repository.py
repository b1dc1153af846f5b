from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from personnel.applications.models import (
    ApplicationKind,
    EmploymentApplication,
    ReviewStatus,
    SubmissionStatus,
)
from personnel.db import vault


async def get(
    session: AsyncSession, application_id: uuid.UUID, *, for_update: bool = False
) -> EmploymentApplication | None:
    query = select(EmploymentApplication).where(EmploymentApplication.id == application_id)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[EmploymentApplication]:
    if not ids:
        return []
    return list(
        await session.scalars(
            select(EmploymentApplication).where(EmploymentApplication.id.in_(ids))
        )
    )


async def by_issued_number(session: AsyncSession, number: str) -> EmploymentApplication | None:
    """Issued numbers are encrypted at rest: found by their keyed hash."""
    digest = vault.blind_index(number, "issued")
    return await session.scalar(
        select(EmploymentApplication).where(EmploymentApplication.issued_number_hash == digest)
    )


async def registration_for(
    session: AsyncSession, recruitment_id: uuid.UUID
) -> EmploymentApplication | None:
    return await session.scalar(
        select(EmploymentApplication).where(
            EmploymentApplication.based_on_application_id == recruitment_id
        )
    )


async def registrations_for(
    session: AsyncSession, recruitment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """recruitment id → the id of the registration filled for it."""
    if not recruitment_ids:
        return {}
    rows = await session.execute(
        select(EmploymentApplication.based_on_application_id, EmploymentApplication.id).where(
            EmploymentApplication.based_on_application_id.in_(recruitment_ids)
        )
    )
    return {basis: registration for basis, registration in rows if basis is not None}


def filtered(
    query: Select[Any],
    kind: ApplicationKind | None,
    submission: SubmissionStatus | None,
    review: ReviewStatus | None,
) -> Select[Any]:
    if kind is not None:
        query = query.where(EmploymentApplication.kind == kind)
    if submission is not None:
        query = query.where(EmploymentApplication.submission == submission)
    if review is not None:
        query = query.where(EmploymentApplication.review == review)
    return query


async def page(
    session: AsyncSession, query: Select[Any], order: Sequence[Any], offset: int, limit: int
) -> tuple[list[EmploymentApplication], int]:
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(*order).offset(offset).limit(limit))
    return list(rows), int(total or 0)
