"""Employment applications, issued-number counters and the applications' audit trail.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "employment_applications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("foreign_person_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("submission", sa.String(length=16), nullable=False),
        sa.Column("review", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("printed_revision", sa.Integer(), nullable=True),
        sa.Column("tips_acknowledged", sa.Boolean(), nullable=False),
        sa.Column("requirements_acknowledged", sa.Boolean(), nullable=False),
        sa.Column("form", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("licence_number", sa.String(length=32), nullable=True),
        sa.Column("certificate_number", sa.String(length=32), nullable=True),
        sa.Column("based_on_application_id", sa.Uuid(), nullable=True),
        sa.Column("exit_entry_opinion", sa.Text(), nullable=True),
        sa.Column("exit_entry_opinion_attachment_id", sa.Uuid(), nullable=True),
        sa.Column("issued_number", sa.String(length=32), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["based_on_application_id"],
            ["employment_applications.id"],
            name=op.f("fk_employment_applications_based_on_application_id_employment_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["foreign_person_id"],
            ["foreign_persons.id"],
            name=op.f("fk_employment_applications_foreign_person_id_foreign_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employment_applications")),
        sa.UniqueConstraint("number", name=op.f("uq_employment_applications_number")),
    )
    # Exactly one registration form per licence-exempt recruitment application.
    op.create_index(
        op.f("uq_employment_applications_registration_basis"),
        "employment_applications",
        ["based_on_application_id"],
        unique=True,
        postgresql_where=sa.text("based_on_application_id IS NOT NULL"),
    )
    op.create_index(
        op.f("uq_employment_applications_issued_number"),
        "employment_applications",
        ["issued_number"],
        unique=True,
        postgresql_where=sa.text("issued_number IS NOT NULL"),
    )
    op.create_index(
        "ix_employment_applications_enterprise_created",
        "employment_applications",
        ["enterprise_id", "created_at"],
    )
    op.create_index(
        "ix_employment_applications_queue", "employment_applications", ["submission", "due_at"]
    )
    op.create_index(
        "ix_employment_applications_licence_number", "employment_applications", ["licence_number"]
    )
    op.create_index(
        "ix_employment_applications_certificate_number",
        "employment_applications",
        ["certificate_number"],
    )
    op.create_table(
        "number_counters",
        sa.Column("series", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series", "year", name=op.f("pk_number_counters")),
    )
    op.create_table(
        "application_audit",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("actor_roles", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_audit")),
    )
    op.create_index(
        op.f("ix_application_audit_application_id"),
        "application_audit",
        ["application_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_application_audit_application_id"), table_name="application_audit")
    op.drop_table("application_audit")
    op.drop_table("number_counters")
    op.drop_table("employment_applications")
