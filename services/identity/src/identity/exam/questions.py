"""Question bank rules (admins): create, update, deactivate, import and export.

Questions are never deleted: papers keep a copy of what they asked and still reference the bank
question, and a deactivated question is simply no longer drawn.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from identity.exam import bank, repository, rules
from identity.exam.bank import QuestionBankFormat
from identity.exam.config import ExamSettings
from identity.exam.models import Question
from identity.exam.schemas import ImportProblem, ImportReport, QuestionDraft, QuestionFilter
from servicekit.auth import Actor, Role
from servicekit.db import utcnow
from servicekit.errors import Message, NotFound, ValidationFailed

MAX_IMPORT_CHARS = 5_000_000


def _key(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise NotFound() from exc


def _same(question: Question, draft: QuestionDraft) -> bool:
    return (
        question.kind == draft.kind
        and question.category == draft.category
        and question.text == draft.text
        and question.options == draft.options
        and list(question.answer) == draft.answer
        and question.points == draft.points
        and question.explanation == draft.explanation
        and (draft.is_active is None or question.is_active == draft.is_active)
    )


def _apply(question: Question, draft: QuestionDraft, actor: Actor) -> None:
    """Writes the draft into the question; a new revision when the content changes."""
    content_changed = not _same(question, replace(draft, is_active=None))
    question.kind = draft.kind
    question.category = draft.category
    question.text = draft.text
    question.options = draft.options
    question.answer = draft.answer
    question.points = draft.points
    question.explanation = draft.explanation
    if draft.is_active is not None:
        question.is_active = draft.is_active
    if content_changed:
        question.revision = (question.revision or 0) + 1
    question.updated_at = utcnow()
    question.updated_by = uuid.UUID(actor.account_id)


def _new(draft: QuestionDraft, actor: Actor) -> Question:
    question = Question(id=draft.id or uuid.uuid4(), revision=0, is_active=True)
    _apply(question, draft, actor)
    question.created_at = question.updated_at
    return question


@dataclass
class QuestionBank:
    settings: ExamSettings

    async def search(
        self, session: AsyncSession, actor: Actor, where: QuestionFilter, offset: int, limit: int
    ) -> tuple[list[Question], int]:
        actor.require(Role.ADMIN)
        return await repository.questions(session, where, offset, limit)

    async def get(self, session: AsyncSession, actor: Actor, question_id: str) -> Question:
        actor.require(Role.ADMIN)
        question = await repository.question(session, _key(question_id))
        if question is None:
            raise NotFound()
        return question

    async def categories(
        self, session: AsyncSession, actor: Actor
    ) -> list[tuple[str, int, int, int]]:
        """(category, active questions, all questions, quota) for every category that has
        questions or a quota: a quota above the active count makes `startExam` fail."""
        actor.require(Role.ADMIN)
        counts = {
            c: (active, total) for c, active, total in await repository.category_counts(session)
        }
        names = sorted(set(counts) | set(self.settings.quotas))
        return [
            (name, *counts.get(name, (0, 0)), self.settings.quotas.get(name, 0)) for name in names
        ]

    async def create(self, session: AsyncSession, actor: Actor, draft: QuestionDraft) -> Question:
        actor.require(Role.ADMIN)
        clean = _checked(draft)
        question = _new(replace(clean, id=None), actor)
        session.add(question)
        await session.flush()
        return question

    async def update(
        self, session: AsyncSession, actor: Actor, question_id: str, draft: QuestionDraft
    ) -> Question:
        """Replaces the question's content. Papers already drawn keep the earlier revision."""
        actor.require(Role.ADMIN)
        question = await repository.question(session, _key(question_id), for_update=True)
        if question is None:
            raise NotFound()
        _apply(question, _checked(draft), actor)
        await session.flush()
        return question

    async def set_active(
        self, session: AsyncSession, actor: Actor, question_id: str, active: bool
    ) -> Question:
        actor.require(Role.ADMIN)
        question = await repository.question(session, _key(question_id), for_update=True)
        if question is None:
            raise NotFound()
        if question.is_active != active:
            question.is_active = active
            question.updated_at = utcnow()
            question.updated_by = uuid.UUID(actor.account_id)
        return question

    async def export(self, session: AsyncSession, actor: Actor, fmt: QuestionBankFormat) -> str:
        actor.require(Role.ADMIN)
        return bank.write(fmt, await repository.all_questions(session))

    async def import_file(
        self,
        session: AsyncSession,
        actor: Actor,
        fmt: QuestionBankFormat,
        content: str,
        *,
        dry_run: bool = False,
    ) -> ImportReport:
        """All or nothing: a file with any bad row imports nothing and reports every bad row."""
        actor.require(Role.ADMIN)
        if len(content) > MAX_IMPORT_CHARS:
            raise ValidationFailed.single("content", "文件过大", "the file is too large")
        report = ImportReport()
        rows: list[tuple[int, QuestionDraft]] = []
        for row in bank.read(fmt, content):
            if row.draft is None:
                report.errors += [_problem(row.line, e.path, e.message) for e in row.errors]
                continue
            clean, errors = rules.check_question(row.draft)
            report.errors += [_problem(row.line, e.path, e.message) for e in errors]
            if not errors:
                rows.append((row.line, clean))
        plan = await self._plan(session, rows, report)
        if report.errors or dry_run:
            return report
        for question, draft in plan:
            if question is None:
                session.add(_new(draft, actor))
            elif not _same(question, draft):
                _apply(question, draft, actor)
        await session.flush()
        report.applied = True
        return report

    async def _plan(
        self,
        session: AsyncSession,
        rows: list[tuple[int, QuestionDraft]],
        report: ImportReport,
    ) -> list[tuple[Question | None, QuestionDraft]]:
        """Pairs each row with the question it updates (by id, else by identical text) or with
        None (a new question); counts what would change; reports rows that repeat another."""
        existing = await repository.questions_matching(
            session, {d.id for _, d in rows if d.id}, {d.text for _, d in rows if not d.id}
        )
        by_id = {q.id: q for q in existing}
        by_text = {q.text: q for q in existing}
        seen_ids: set[uuid.UUID] = set()
        seen_texts: set[str] = set()
        plan: list[tuple[Question | None, QuestionDraft]] = []
        for line, draft in rows:
            question = by_id.get(draft.id) if draft.id else by_text.get(draft.text)
            key = question.id if question else draft.id
            if (key is not None and key in seen_ids) or draft.text in seen_texts:
                report.errors.append(
                    _problem(
                        line, "text", Message("与文件中前面的题目重复", "repeats an earlier row")
                    )
                )
                continue
            seen_texts.add(draft.text)
            if key is not None:
                seen_ids.add(key)
            if question is None:
                report.created += 1
            elif _same(question, draft):
                report.unchanged += 1
            else:
                report.updated += 1
            plan.append((question, draft))
        return plan


def _checked(draft: QuestionDraft) -> QuestionDraft:
    clean, errors = rules.check_question(draft)
    if errors:
        raise ValidationFailed(errors)
    return clean


def _problem(line: int, path: str, message: Message) -> ImportProblem:
    return ImportProblem(line=line, field=path, message=message)
