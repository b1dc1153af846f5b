"""The demo question bank (seed_questions.json, in the export format), loaded idempotently."""

from __future__ import annotations

from importlib import resources

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from identity.exam import bank, rules
from identity.exam.bank import QuestionBankFormat
from identity.exam.models import Question


def seed_file() -> str:
    return resources.files("identity.exam").joinpath("seed_questions.json").read_text("utf-8")


async def load_seed_questions(session: AsyncSession) -> int:
    """Adds the seed questions that are missing (by id); never overwrites an admin's edits.
    Returns how many were added."""
    existing = set(await session.scalars(select(Question.id)))
    added = 0
    for row in bank.read(QuestionBankFormat.JSON, seed_file()):
        assert row.draft is not None, row.errors
        draft, errors = rules.check_question(row.draft)
        assert not errors, (row.line, errors)
        if draft.id in existing:
            continue
        session.add(
            Question(
                id=draft.id,
                kind=draft.kind,
                category=draft.category,
                text=draft.text,
                options=draft.options,
                answer=draft.answer,
                points=draft.points,
                explanation=draft.explanation,
                is_active=True if draft.is_active is None else draft.is_active,
            )
        )
        added += 1
    return added
