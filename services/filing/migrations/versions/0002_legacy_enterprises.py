"""Enterprises imported from the old system: USCC unknown until supplemented.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column("enterprises", "uscc", existing_type=sa.String(length=18), nullable=True)
    op.add_column(
        "enterprises",
        sa.Column("is_legacy", sa.Boolean(), server_default="false", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("enterprises", "is_legacy")
    op.alter_column("enterprises", "uscc", existing_type=sa.String(length=18), nullable=False)
