"""Failed sign-ins per client address (the per-address sign-in limit), and notification texts
(they hold verification codes) encrypted at rest (docs/DATA_PROTECTION.md).

Existing notification texts are encrypted here under the active data key; the downgrade
decrypts them back. The failures table holds the last hour only: rows are pruned as new ones
are written, so the downgrade just drops it.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from identity.db import vault
from servicekit.crypto.migrations import ClearColumn, decrypt_column, encrypt_column

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTIFICATION_TEXT = ClearColumn("notifications", "text")


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("client_ip", sa.String(length=64), nullable=False),
        sa.Column(
            "attempted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    op.create_index(
        "ix_sign_in_failures_client_ip_attempted",
        "sign_in_failures",
        ["client_ip", "attempted_at"],
    )
    op.create_index(op.f("ix_sign_in_failures_attempted_at"), "sign_in_failures", ["attempted_at"])
    encrypt_column(op, NOTIFICATION_TEXT, vault)


def downgrade() -> None:
    decrypt_column(op, NOTIFICATION_TEXT, vault, sa.Text())
    op.drop_table("sign_in_failures")
