"""attachments: what a printed form's QR code says; attachments and documents owned by an account

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:12:40.118230
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("attachments", sa.Column("printed_kind", sa.String(length=64), nullable=True))
    op.add_column(
        "attachments", sa.Column("printed_subject_id", sa.String(length=64), nullable=True)
    )
    op.add_column("attachments", sa.Column("printed_revision", sa.Integer(), nullable=True))
    op.add_column("attachments", sa.Column("owner_account_id", sa.String(length=64), nullable=True))
    op.create_index(
        op.f("ix_attachments_owner_account_id"), "attachments", ["owner_account_id"], unique=False
    )
    op.add_column("documents", sa.Column("owner_account_id", sa.String(length=64), nullable=True))
    op.create_index(
        op.f("ix_documents_owner_account_id"), "documents", ["owner_account_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_documents_owner_account_id"), table_name="documents")
    op.drop_column("documents", "owner_account_id")
    op.drop_index(op.f("ix_attachments_owner_account_id"), table_name="attachments")
    op.drop_column("attachments", "owner_account_id")
    op.drop_column("attachments", "printed_revision")
    op.drop_column("attachments", "printed_subject_id")
    op.drop_column("attachments", "printed_kind")
