"""GraphQL types of the liaison exam and of the question bank."""

from __future__ import annotations

from datetime import datetime
from typing import TypeAlias

import strawberry

from identity.exam import rules
from identity.exam.bank import QuestionBankFormat
from identity.exam.config import ExamSettings
from identity.exam.models import AttemptQuestion, AttemptState, QuestionKind
from identity.exam.models import Question as QuestionModel
from identity.exam.schemas import ExamResult as ExamResultData
from identity.exam.schemas import ImportReport, Paper, QuestionDraft
from servicekit.graphql import Connection

for _enum in (QuestionKind, AttemptState, QuestionBankFormat):
    strawberry.enum(_enum)  # registers the domain enum under its own name


@strawberry.type
class Option:
    key: str
    text: str


@strawberry.type(description="A question of one paper, as the candidate sees it")
class Question:
    id: strawberry.ID
    position: int = strawberry.field(description="1-based place in the paper")
    kind: QuestionKind
    category: str
    text: str
    points: int
    options: list[Option] = strawberry.field(description="In this paper's (shuffled) order")
    answer: list[str] = strawberry.field(description="The saved answer (option keys)")
    is_correct: bool | None = strawberry.field(description="Once the attempt is scored")
    correct_answer: list[str] | None = strawberry.field(description="Once the attempt is scored")
    explanation: str | None = strawberry.field(description="Once the attempt is scored")

    @classmethod
    def from_model(cls, model: AttemptQuestion, scored: bool) -> Question:
        return cls(
            id=strawberry.ID(str(model.question_id)),
            position=model.position + 1,
            kind=QuestionKind(model.kind),
            category=model.category,
            text=model.text,
            points=model.points,
            options=[Option(key=key, text=text) for key, text in rules.display_options(model)],
            answer=rules.to_display_keys(model, model.answer),
            is_correct=model.is_correct if scored else None,
            correct_answer=rules.to_display_keys(model, model.correct) if scored else None,
            explanation=model.explanation if scored else None,
        )


@strawberry.type(description="One sitting of the liaison exam")
class ExamAttempt:
    id: strawberry.ID
    state: AttemptState
    started_at: datetime
    deadline: datetime = strawberry.field(description="Enforced by the server")
    finished_at: datetime | None
    seconds_remaining: int = strawberry.field(description="0 once the time is up or finished")
    question_count: int
    answered_count: int
    pass_mark: int
    total_points: int
    score: int | None = strawberry.field(description="Once scored")
    passed: bool | None = strawberry.field(description="Once scored")
    retry_after: datetime | None = strawberry.field(
        description="Failed with a cooldown: when the next attempt may start"
    )
    questions: list[Question]

    @classmethod
    def from_paper(cls, paper: Paper, retry_after: datetime | None, now: datetime) -> ExamAttempt:
        a = paper.attempt
        scored = a.state != AttemptState.IN_PROGRESS
        remaining = 0 if scored else max(0, int((a.deadline - now).total_seconds()))
        return cls(
            id=strawberry.ID(str(a.id)),
            state=AttemptState(a.state),
            started_at=a.started_at,
            deadline=a.deadline,
            finished_at=a.finished_at,
            seconds_remaining=remaining,
            question_count=a.question_count,
            answered_count=paper.answered_count,
            pass_mark=a.pass_mark,
            total_points=a.total_points,
            score=a.score,
            passed=a.passed,
            retry_after=retry_after,
            questions=[Question.from_model(q, scored) for q in paper.questions],
        )


ExamAttemptConnection: TypeAlias = Connection[ExamAttempt]


@strawberry.type
class ExamResult:
    attempt_id: strawberry.ID
    state: AttemptState
    score: int
    passed: bool
    pass_mark: int
    total_points: int
    correct_count: int
    question_count: int
    finished_at: datetime
    retry_after: datetime | None = strawberry.field(
        description="Failed with a cooldown: when the next attempt may start"
    )

    @classmethod
    def from_data(cls, data: ExamResultData) -> ExamResult:
        return cls(
            attempt_id=strawberry.ID(str(data.attempt_id)),
            state=data.state,
            score=data.score,
            passed=data.passed,
            pass_mark=data.pass_mark,
            total_points=data.total_points,
            correct_count=data.correct_count,
            question_count=data.question_count,
            finished_at=data.finished_at,
            retry_after=data.retry_after,
        )


@strawberry.type
class CategoryQuota:
    category: str
    count: int


@strawberry.type(description="How papers are drawn and scored")
class ExamRules:
    question_count: int
    total_points: int
    pass_mark: int
    time_limit_minutes: int
    cooldown_minutes: int
    quotas: list[CategoryQuota]

    @classmethod
    def from_settings(cls, settings: ExamSettings) -> ExamRules:
        return cls(
            question_count=settings.question_count,
            total_points=settings.total_points,
            pass_mark=settings.pass_mark,
            time_limit_minutes=settings.time_limit_minutes,
            cooldown_minutes=settings.cooldown_minutes,
            quotas=[CategoryQuota(category=c, count=n) for c, n in settings.quotas.items()],
        )


@strawberry.type(description="Admins: a question of the bank, with its answer")
class BankQuestion:
    id: strawberry.ID
    kind: QuestionKind
    category: str
    text: str
    options: list[Option]
    answer: list[str]
    points: int
    explanation: str
    is_active: bool = strawberry.field(description="Inactive questions are no longer drawn")
    revision: int = strawberry.field(description="Grows with every change of content")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, model: QuestionModel) -> BankQuestion:
        return cls(
            id=strawberry.ID(str(model.id)),
            kind=QuestionKind(model.kind),
            category=model.category,
            text=model.text,
            options=[Option(key=o["key"], text=o["text"]) for o in model.options],
            answer=list(model.answer),
            points=model.points,
            explanation=model.explanation,
            is_active=model.is_active,
            revision=model.revision,
            created_at=model.created_at,
            updated_at=model.updated_at,
        )


BankQuestionConnection: TypeAlias = Connection[BankQuestion]


@strawberry.type
class QuestionCategory:
    name: str
    active_count: int
    total_count: int
    quota: int = strawberry.field(description="Questions drawn per paper (0: none)")


@strawberry.input
class OptionInput:
    key: str
    text: str


@strawberry.input(description="True/false questions take no options (T 正确, F 错误)")
class QuestionInput:
    kind: QuestionKind
    category: str
    text: str
    answer: list[str]
    options: list[OptionInput] = strawberry.field(default_factory=list)
    points: int = 2
    explanation: str = ""

    def to_draft(self) -> QuestionDraft:
        return QuestionDraft(
            kind=self.kind,
            category=self.category,
            text=self.text,
            options=[{"key": o.key, "text": o.text} for o in self.options],
            answer=list(self.answer),
            points=self.points,
            explanation=self.explanation,
        )


@strawberry.type
class QuestionImportError:
    line: int = strawberry.field(description="Where the row starts in the file")
    field: str
    message: str


@strawberry.type
class QuestionImportReport:
    created: int
    updated: int
    unchanged: int
    applied: bool = strawberry.field(
        description="False when any row is wrong (then nothing was imported) or on a dry run; "
        "the counts then say what the file would do"
    )
    errors: list[QuestionImportError]

    @classmethod
    def from_report(cls, report: ImportReport, language: str) -> QuestionImportReport:
        return cls(
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            applied=report.applied,
            errors=[
                QuestionImportError(
                    line=e.line, field=e.field, message=e.message.in_language(language)
                )
                for e in report.errors
            ],
        )


@strawberry.type(description="Dev mode only: the correct option keys of one paper question")
class ExamAnswerKey:
    question_id: strawberry.ID
    answer: list[str]
