"""Sign-in lockout, disabling, password change tracking, legacy imports.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "accounts", sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "accounts", sa.Column("failed_window_started_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("accounts", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "accounts", sa.Column("lock_level", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("accounts", sa.Column("disabled_reason", sa.Text(), nullable=True))
    op.add_column(
        "accounts", sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_table(
        "legacy_imports",
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("enterprise_name", sa.String(length=200), nullable=False),
        sa.Column("liaison_name", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column(
            "imported_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_legacy_imports_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("phone", name=op.f("pk_legacy_imports")),
    )


def downgrade() -> None:
    op.drop_table("legacy_imports")
    for column in (
        "password_changed_at",
        "disabled_reason",
        "lock_level",
        "locked_until",
        "failed_window_started_at",
        "failed_logins",
    ):
        op.drop_column("accounts", column)
