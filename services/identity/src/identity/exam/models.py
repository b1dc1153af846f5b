"""Question bank and attempts. An attempt keeps a copy of each question as it was drawn, so that
editing or deactivating a bank question never changes a paper someone took or is taking."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    ARRAY,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from identity.accounts.models import Base


class QuestionKind(StrEnum):
    SINGLE = "SINGLE"
    MULTIPLE = "MULTIPLE"
    TRUE_FALSE = "TRUE_FALSE"


class AttemptState(StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    SUBMITTED = "SUBMITTED"  # scored when the candidate submitted
    EXPIRED = "EXPIRED"  # scored at the deadline with the answers saved by then


class Question(Base):
    __tablename__ = "exam_questions"
    __table_args__ = (Index("ix_exam_questions_category_active", "category", "is_active"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[QuestionKind] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)
    # [{"key": "A", "text": "..."}] in the bank's order; keys are what answers refer to.
    options: Mapped[list[dict[str, str]]] = mapped_column(JSONB)
    answer: Mapped[list[str]] = mapped_column(ARRAY(String(8)))
    points: Mapped[int] = mapped_column()
    explanation: Mapped[str] = mapped_column(Text, default="", server_default="")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sql("true"))
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_by: Mapped[uuid.UUID | None] = mapped_column()


class ExamAttempt(Base):
    __tablename__ = "exam_attempts"
    __table_args__ = (
        # One open attempt per account, whatever the timing of two simultaneous starts.
        Index(
            "uq_exam_attempts_open_per_account",
            "account_id",
            unique=True,
            postgresql_where=sql("state = 'IN_PROGRESS'"),
        ),
        Index("ix_exam_attempts_account_started", "account_id", "started_at"),
        Index(
            "ix_exam_attempts_open_deadline",
            "deadline",
            postgresql_where=sql("state = 'IN_PROGRESS'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    state: Mapped[AttemptState] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The rules in force when the attempt started.
    pass_mark: Mapped[int] = mapped_column()
    total_points: Mapped[int] = mapped_column()
    question_count: Mapped[int] = mapped_column()
    score: Mapped[int | None] = mapped_column()
    passed: Mapped[bool | None] = mapped_column()


class AttemptQuestion(Base):
    """One question of one paper: its copy, its place, its option order, the saved answer."""

    __tablename__ = "exam_attempt_questions"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    attempt_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exam_attempts.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exam_questions.id"), index=True)
    question_revision: Mapped[int] = mapped_column()
    kind: Mapped[QuestionKind] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)
    # The bank's options in this paper's (shuffled) order, with the bank's keys. The candidate
    # sees them relabelled A, B, C... by position (see rules.display_key).
    options: Mapped[list[dict[str, str]]] = mapped_column(JSONB)
    correct: Mapped[list[str]] = mapped_column(ARRAY(String(8)))
    points: Mapped[int] = mapped_column()
    explanation: Mapped[str] = mapped_column(Text, default="", server_default="")
    answer: Mapped[list[str] | None] = mapped_column(ARRAY(String(8)))  # bank keys
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_correct: Mapped[bool | None] = mapped_column()
