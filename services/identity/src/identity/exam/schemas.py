"""Inputs and outputs of the exam service layer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from identity.exam.models import AttemptQuestion, AttemptState, ExamAttempt, QuestionKind
from servicekit.errors import Message


@dataclass(frozen=True)
class QuestionDraft:
    """A question as an admin (or an import row) gives it; checked by rules.check_question."""

    kind: QuestionKind
    category: str
    text: str
    options: list[dict[str, str]]
    answer: list[str]
    points: int = 2
    explanation: str = ""
    is_active: bool | None = None  # None: new questions are active, updates keep the flag
    id: uuid.UUID | None = None


@dataclass(frozen=True)
class QuestionFilter:
    category: str | None = None
    search: str | None = None
    is_active: bool | None = None


@dataclass(frozen=True)
class ImportProblem:
    line: int  # where the row starts in the file
    field: str
    message: Message


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[ImportProblem] = field(default_factory=list)
    # False when the file had errors (then nothing was imported) or on a dry run; the counts
    # then say what the file would do.
    applied: bool = False


@dataclass(frozen=True)
class Paper:
    """An attempt with its questions in paper order."""

    attempt: ExamAttempt
    questions: list[AttemptQuestion]

    @property
    def answered_count(self) -> int:
        return sum(1 for q in self.questions if q.answer)

    @property
    def correct_count(self) -> int:
        return sum(1 for q in self.questions if q.is_correct)


@dataclass(frozen=True)
class ExamResult:
    attempt_id: uuid.UUID
    state: AttemptState
    score: int
    passed: bool
    pass_mark: int
    total_points: int
    correct_count: int
    question_count: int
    finished_at: datetime
    retry_after: datetime | None  # failed with a cooldown: the next attempt may start then

    @classmethod
    def of(cls, paper: Paper, retry_after: datetime | None) -> ExamResult:
        attempt = paper.attempt
        assert attempt.score is not None
        assert attempt.passed is not None
        assert attempt.finished_at is not None
        return cls(
            attempt_id=attempt.id,
            state=AttemptState(attempt.state),
            score=attempt.score,
            passed=attempt.passed,
            pass_mark=attempt.pass_mark,
            total_points=attempt.total_points,
            correct_count=paper.correct_count,
            question_count=attempt.question_count,
            finished_at=attempt.finished_at,
            retry_after=retry_after,
        )


@dataclass(frozen=True)
class AnswerKey:
    question_id: uuid.UUID
    answer: list[str]  # in the keys the candidate sees


@dataclass(frozen=True)
class ExamStatus:
    passed_at: datetime | None
    best_score: int | None
