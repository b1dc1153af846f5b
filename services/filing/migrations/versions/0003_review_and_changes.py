"""Two-level review, revisions, attachments, change records, approved versions and the audit log.

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

JSONB = postgresql.JSONB(astext_type=sa.Text())


def upgrade() -> None:
    op.add_column("enterprises", sa.Column("data", JSONB, server_default="{}", nullable=False))
    op.add_column(
        "enterprises", sa.Column("version", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("filings", sa.Column("change_kind", sa.String(length=20), nullable=True))
    op.add_column("filings", sa.Column("base_data", JSONB, nullable=True))
    op.add_column("filings", sa.Column("district", sa.String(length=6), nullable=True))
    op.add_column("filings", sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("filings", sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "filings",
        sa.Column("printed_revision", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column(
        "filings",
        sa.Column(
            "renew_kinds",
            postgresql.ARRAY(sa.String(length=24)),
            server_default="{}",
            nullable=False,
        ),
    )
    op.add_column("filings", sa.Column("claimed_by", sa.Uuid(), nullable=True))
    op.add_column("filings", sa.Column("claimed_by_name", sa.String(length=64), nullable=True))
    op.add_column(
        "filings", sa.Column("claim_expires_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index(op.f("ix_filings_district"), "filings", ["district"])
    op.create_index(op.f("ix_filings_submitted_at"), "filings", ["submitted_at"])
    op.execute(
        "UPDATE filings SET district = enterprises.district "
        "FROM enterprises WHERE enterprises.id = filings.enterprise_id"
    )

    op.create_table(
        "filing_revisions",
        sa.Column("filing_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("data", JSONB, nullable=False),
        sa.Column("submitted_by", sa.Uuid(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["filing_id"], ["filings.id"], name=op.f("fk_filing_revisions_filing_id_filings")
        ),
        sa.PrimaryKeyConstraint("filing_id", "revision", name=op.f("pk_filing_revisions")),
    )
    op.create_table(
        "filed_attachments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("filing_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("liaison_index", sa.Integer(), server_default="0", nullable=False),
        sa.Column("attachment_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("attached_by", sa.Uuid(), nullable=False),
        sa.Column("attached_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["filing_id"], ["filings.id"], name=op.f("fk_filed_attachments_filing_id_filings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filed_attachments")),
    )
    op.create_index(op.f("ix_filed_attachments_filing_id"), "filed_attachments", ["filing_id"])
    op.create_table(
        "reviews",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("filing_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.String(length=2000), nullable=True),
        sa.Column("field_issues", JSONB, nullable=False),
        sa.Column("attachment_issues", JSONB, nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("officer_name", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["filing_id"], ["filings.id"], name=op.f("fk_reviews_filing_id_filings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index(op.f("ix_reviews_filing_id"), "reviews", ["filing_id"])
    op.create_table(
        "enterprise_versions",
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("filing_id", sa.Uuid(), nullable=False),
        sa.Column("record_type", sa.String(length=8), nullable=False),
        sa.Column("change_kind", sa.String(length=20), nullable=True),
        sa.Column("data", JSONB, nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_enterprise_versions_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["filing_id"], ["filings.id"], name=op.f("fk_enterprise_versions_filing_id_filings")
        ),
        sa.PrimaryKeyConstraint("enterprise_id", "version", name=op.f("pk_enterprise_versions")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("actor_name", sa.String(length=64), nullable=False),
        sa.Column("actor_roles", postgresql.ARRAY(sa.String(length=24)), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("filing_id", sa.Uuid(), nullable=True),
        sa.Column("enterprise_id", sa.Uuid(), nullable=True),
        sa.Column("detail", JSONB, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    for column in ("at", "actor_id", "action", "filing_id", "enterprise_id"):
        op.create_index(op.f(f"ix_audit_log_{column}"), "audit_log", [column])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("enterprise_versions")
    op.drop_table("reviews")
    op.drop_table("filed_attachments")
    op.drop_table("filing_revisions")
    op.drop_index(op.f("ix_filings_submitted_at"), table_name="filings")
    op.drop_index(op.f("ix_filings_district"), table_name="filings")
    for column in (
        "claim_expires_at",
        "claimed_by_name",
        "claimed_by",
        "renew_kinds",
        "printed_revision",
        "decided_at",
        "submitted_at",
        "district",
        "base_data",
        "change_kind",
    ):
        op.drop_column("filings", column)
    op.drop_column("enterprises", "version")
    op.drop_column("enterprises", "data")
