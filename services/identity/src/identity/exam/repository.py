"""Queries of the question bank and of attempts; no rules here."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from identity.exam.models import AttemptQuestion, AttemptState, ExamAttempt, Question
from identity.exam.schemas import QuestionFilter


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --- question bank -----------------------------------------------------------------------


async def question(
    session: AsyncSession, question_id: uuid.UUID, *, for_update: bool = False
) -> Question | None:
    query = select(Question).where(Question.id == question_id)
    return await session.scalar(query.with_for_update() if for_update else query)


async def questions(
    session: AsyncSession, where: QuestionFilter, offset: int, limit: int
) -> tuple[list[Question], int]:
    conditions = []
    if where.category:
        conditions.append(Question.category == where.category)
    if where.is_active is not None:
        conditions.append(Question.is_active.is_(where.is_active))
    if where.search and where.search.strip():
        pattern = _like(where.search.strip())
        conditions.append(or_(Question.text.ilike(pattern), Question.explanation.ilike(pattern)))
    total = int(await session.scalar(select(func.count(Question.id)).where(*conditions)) or 0)
    rows = await session.scalars(
        select(Question)
        .where(*conditions)
        .order_by(Question.category, Question.created_at, Question.id)
        .offset(offset)
        .limit(limit)
    )
    return list(rows), total


async def all_questions(session: AsyncSession) -> list[Question]:
    rows = await session.scalars(
        select(Question).order_by(Question.category, Question.created_at, Question.id)
    )
    return list(rows)


async def active_questions(session: AsyncSession, categories: Collection[str]) -> list[Question]:
    rows = await session.scalars(
        select(Question).where(Question.is_active.is_(True), Question.category.in_(categories))
    )
    return list(rows)


async def questions_matching(
    session: AsyncSession, ids: Collection[uuid.UUID], texts: Collection[str]
) -> list[Question]:
    """Questions an import may update: by id, or (rows without id) by identical text."""
    if not ids and not texts:
        return []
    rows = await session.scalars(
        select(Question)
        .where(or_(Question.id.in_(ids), Question.text.in_(texts)))
        .with_for_update()
    )
    return list(rows)


async def category_counts(session: AsyncSession) -> list[tuple[str, int, int]]:
    """(category, active questions, all questions)."""
    rows = await session.execute(
        select(
            Question.category,
            func.count(Question.id).filter(Question.is_active.is_(True)),
            func.count(Question.id),
        )
        .group_by(Question.category)
        .order_by(Question.category)
    )
    return [(category, int(active), int(total)) for category, active, total in rows.all()]


# --- attempts ----------------------------------------------------------------------------


async def attempt(
    session: AsyncSession, attempt_id: uuid.UUID, *, for_update: bool = False
) -> ExamAttempt | None:
    query = select(ExamAttempt).where(ExamAttempt.id == attempt_id)
    return await session.scalar(query.with_for_update() if for_update else query)


async def open_attempt(session: AsyncSession, account_id: uuid.UUID) -> ExamAttempt | None:
    return await session.scalar(
        select(ExamAttempt)
        .where(ExamAttempt.account_id == account_id, ExamAttempt.state == AttemptState.IN_PROGRESS)
        .with_for_update()
    )


async def last_finished(session: AsyncSession, account_id: uuid.UUID) -> ExamAttempt | None:
    return await session.scalar(
        select(ExamAttempt)
        .where(ExamAttempt.account_id == account_id, ExamAttempt.finished_at.is_not(None))
        .order_by(ExamAttempt.finished_at.desc())
        .limit(1)
    )


async def attempts_of(
    session: AsyncSession, account_id: uuid.UUID, offset: int, limit: int
) -> tuple[list[ExamAttempt], int]:
    condition = ExamAttempt.account_id == account_id
    total = int(await session.scalar(select(func.count(ExamAttempt.id)).where(condition)) or 0)
    rows = await session.scalars(
        select(ExamAttempt)
        .where(condition)
        .order_by(ExamAttempt.started_at.desc(), ExamAttempt.id)
        .offset(offset)
        .limit(limit)
    )
    return list(rows), total


async def expired_open_attempts(
    session: AsyncSession, before: datetime, limit: int
) -> list[ExamAttempt]:
    """Open attempts whose time ran out; rows another replica is finishing are skipped."""
    rows = await session.scalars(
        select(ExamAttempt)
        .where(ExamAttempt.state == AttemptState.IN_PROGRESS, ExamAttempt.deadline < before)
        .order_by(ExamAttempt.deadline)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(rows)


async def best_score(session: AsyncSession, account_id: uuid.UUID) -> int | None:
    value = await session.scalar(
        select(func.max(ExamAttempt.score)).where(ExamAttempt.account_id == account_id)
    )
    return None if value is None else int(value)


async def paper_question(
    session: AsyncSession, attempt_id: uuid.UUID, question_id: uuid.UUID
) -> AttemptQuestion | None:
    return await session.scalar(
        select(AttemptQuestion).where(
            AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.question_id == question_id
        )
    )


async def paper_questions(
    session: AsyncSession, attempt_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[AttemptQuestion]]:
    """The questions of several attempts in one query, each list in paper order."""
    found: dict[uuid.UUID, list[AttemptQuestion]] = {key: [] for key in attempt_ids}
    if not attempt_ids:
        return found
    rows = await session.scalars(
        select(AttemptQuestion)
        .where(AttemptQuestion.attempt_id.in_(attempt_ids))
        .order_by(AttemptQuestion.attempt_id, AttemptQuestion.position)
    )
    for row in rows:
        found[row.attempt_id].append(row)
    return found
