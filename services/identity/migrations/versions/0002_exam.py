"""liaison exam: question bank, attempts and their papers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 17:54:12.196848
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exam_questions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=50), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("options", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("answer", sa.ARRAY(sa.String(length=8)), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("explanation", sa.Text(), server_default="", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("revision", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_questions")),
    )
    op.create_index(
        "ix_exam_questions_category_active",
        "exam_questions",
        ["category", "is_active"],
        unique=False,
    )
    op.create_table(
        "exam_attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pass_mark", sa.Integer(), nullable=False),
        sa.Column("total_points", sa.Integer(), nullable=False),
        sa.Column("question_count", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_exam_attempts_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_attempts")),
    )
    op.create_index(
        "ix_exam_attempts_account_started",
        "exam_attempts",
        ["account_id", "started_at"],
        unique=False,
    )
    op.create_index(
        "ix_exam_attempts_open_deadline",
        "exam_attempts",
        ["deadline"],
        unique=False,
        postgresql_where=sa.text("state = 'IN_PROGRESS'"),
    )
    op.create_index(
        "uq_exam_attempts_open_per_account",
        "exam_attempts",
        ["account_id"],
        unique=True,
        postgresql_where=sa.text("state = 'IN_PROGRESS'"),
    )
    op.create_table(
        "exam_attempt_questions",
        sa.Column("attempt_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Uuid(), nullable=False),
        sa.Column("question_revision", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=50), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("options", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("correct", sa.ARRAY(sa.String(length=8)), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("explanation", sa.Text(), server_default="", nullable=False),
        sa.Column("answer", sa.ARRAY(sa.String(length=8)), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("is_correct", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["exam_attempts.id"],
            name=op.f("fk_exam_attempt_questions_attempt_id_exam_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["exam_questions.id"],
            name=op.f("fk_exam_attempt_questions_question_id_exam_questions"),
        ),
        sa.PrimaryKeyConstraint("attempt_id", "position", name=op.f("pk_exam_attempt_questions")),
        sa.UniqueConstraint(
            "attempt_id", "question_id", name=op.f("uq_exam_attempt_questions_attempt_id")
        ),
    )
    op.create_index(
        op.f("ix_exam_attempt_questions_question_id"),
        "exam_attempt_questions",
        ["question_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_exam_attempt_questions_question_id"), table_name="exam_attempt_questions"
    )
    op.drop_table("exam_attempt_questions")
    op.drop_index(
        "uq_exam_attempts_open_per_account",
        table_name="exam_attempts",
        postgresql_where=sa.text("state = 'IN_PROGRESS'"),
    )
    op.drop_index(
        "ix_exam_attempts_open_deadline",
        table_name="exam_attempts",
        postgresql_where=sa.text("state = 'IN_PROGRESS'"),
    )
    op.drop_index("ix_exam_attempts_account_started", table_name="exam_attempts")
    op.drop_table("exam_attempts")
    op.drop_index("ix_exam_questions_category_active", table_name="exam_questions")
    op.drop_table("exam_questions")
