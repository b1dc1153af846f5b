"""Exam and question-bank operations (resolvers only; rules in identity/exam/)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from identity.exam.bank import QuestionBankFormat
from identity.exam.schemas import QuestionFilter
from identity.graphql.context import IdentityContext
from identity.graphql.exam_types import (
    BankQuestion,
    BankQuestionConnection,
    ExamAnswerKey,
    ExamAttempt,
    ExamAttemptConnection,
    ExamResult,
    ExamRules,
    QuestionCategory,
    QuestionImportReport,
    QuestionInput,
)
from identity.graphql.types import Document
from servicekit.db import utcnow
from servicekit.graphql import connection_of, page_of

Ctx = Info[IdentityContext, None]


@strawberry.type
class ExamQuery:
    @strawberry.field(description="The question bank as a study PDF (导出题库/资料)")
    async def question_bank_document(self, info: Ctx) -> Document:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            document_id = await container.study.current(session, actor)
        return Document(id=strawberry.ID(document_id))

    @strawberry.field(description="How papers are drawn and scored")
    async def exam_rules(self, info: Ctx) -> ExamRules:
        await info.context.actor()
        return ExamRules.from_settings(info.context.container.exam_settings)

    @strawberry.field(description="One attempt: your own, or any for officers")
    async def exam_attempt(self, info: Ctx, id: strawberry.ID) -> ExamAttempt:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            paper = await container.exams.paper(session, actor, str(id))
        retry_after = container.exams.retry_after(paper.attempt)
        return ExamAttempt.from_paper(paper, retry_after, utcnow())

    @strawberry.field(description="Attempts, newest first: yours, or an account's for officers")
    async def exam_attempts(
        self,
        info: Ctx,
        first: int | None = None,
        after: str | None = None,
        account_id: strawberry.ID | None = None,
    ) -> ExamAttemptConnection:
        actor = await info.context.actor()
        page = page_of(first, after)
        container = info.context.container
        owner = None if account_id is None else str(account_id)
        async with container.db.unit_of_work() as session:
            papers, total = await container.exams.attempts(
                session, actor, owner, page.offset, page.limit
            )
        now = utcnow()
        return connection_of(
            papers,
            page,
            total,
            lambda p: ExamAttempt.from_paper(p, container.exams.retry_after(p.attempt), now),
        )

    @strawberry.field(description="Admins: the question bank")
    async def questions(
        self,
        info: Ctx,
        first: int | None = None,
        after: str | None = None,
        category: str | None = None,
        search: str | None = None,
        is_active: bool | None = None,
    ) -> BankQuestionConnection:
        actor = await info.context.actor()
        page = page_of(first, after)
        container = info.context.container
        where = QuestionFilter(category=category, search=search, is_active=is_active)
        async with container.db.unit_of_work() as session:
            rows, total = await container.question_bank.search(
                session, actor, where, page.offset, page.limit
            )
        return connection_of(rows, page, total, BankQuestion.from_model)

    @strawberry.field(description="Admins: one question of the bank")
    async def question(self, info: Ctx, id: strawberry.ID) -> BankQuestion:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            row = await container.question_bank.get(session, actor, str(id))
        return BankQuestion.from_model(row)

    @strawberry.field(description="Admins: categories with their question counts and quotas")
    async def question_categories(self, info: Ctx) -> list[QuestionCategory]:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            rows = await container.question_bank.categories(session, actor)
        return [
            QuestionCategory(name=name, active_count=active, total_count=total, quota=quota)
            for name, active, total, quota in rows
        ]

    @strawberry.field(description="Admins: the whole bank as a file (inactive questions too)")
    async def export_questions(self, info: Ctx, format: QuestionBankFormat) -> str:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            return await container.question_bank.export(session, actor, format)


@strawberry.type
class ExamDevQuery:
    @strawberry.field(description="Dev mode only: the correct answers of a paper (e2e tests)")
    async def dev_exam_answers(self, info: Ctx, attempt_id: strawberry.ID) -> list[ExamAnswerKey]:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            keys = await container.exams.answer_keys(session, actor, str(attempt_id))
        return [
            ExamAnswerKey(question_id=strawberry.ID(str(k.question_id)), answer=k.answer)
            for k in keys
        ]


@strawberry.type
class ExamMutation:
    @strawberry.mutation(
        description="Liaisons: draws a new paper, or returns the attempt already in progress"
    )
    async def start_exam(self, info: Ctx) -> ExamAttempt:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            paper = await container.exams.start(session, actor)
        return ExamAttempt.from_paper(paper, None, utcnow())

    @strawberry.mutation(description="Autosaves one answer; an empty list clears it")
    async def save_exam_answer(
        self, info: Ctx, attempt_id: strawberry.ID, question_id: strawberry.ID, answer: list[str]
    ) -> bool:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            await container.exams.save_answer(
                session, actor, str(attempt_id), str(question_id), answer
            )
        return True

    @strawberry.mutation(description="Scores the attempt; a finished one returns its result")
    async def submit_exam(self, info: Ctx, attempt_id: strawberry.ID) -> ExamResult:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            result = await container.exams.submit(session, actor, str(attempt_id))
        return ExamResult.from_data(result)

    @strawberry.mutation(description="Admins")
    async def create_question(self, info: Ctx, input: QuestionInput) -> BankQuestion:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            row = await container.question_bank.create(session, actor, input.to_draft())
        return BankQuestion.from_model(row)

    @strawberry.mutation(description="Admins: papers already drawn keep the earlier text")
    async def update_question(
        self, info: Ctx, id: strawberry.ID, input: QuestionInput
    ) -> BankQuestion:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            row = await container.question_bank.update(session, actor, str(id), input.to_draft())
        return BankQuestion.from_model(row)

    @strawberry.mutation(description="Admins: no longer drawn; past papers keep it")
    async def deactivate_question(self, info: Ctx, id: strawberry.ID) -> BankQuestion:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            row = await container.question_bank.set_active(session, actor, str(id), False)
        return BankQuestion.from_model(row)

    @strawberry.mutation(description="Admins: drawn again")
    async def activate_question(self, info: Ctx, id: strawberry.ID) -> BankQuestion:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            row = await container.question_bank.set_active(session, actor, str(id), True)
        return BankQuestion.from_model(row)

    @strawberry.mutation(
        description="Admins: imports a JSON or CSV file (the export format); a file with any "
        "bad row imports nothing and reports every bad row with its line number"
    )
    async def import_questions(
        self, info: Ctx, format: QuestionBankFormat, content: str, dry_run: bool = False
    ) -> QuestionImportReport:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            report = await container.question_bank.import_file(
                session, actor, format, content, dry_run=dry_run
            )
        return QuestionImportReport.from_report(report, info.context.language)
