"""Phones, usernames (often a phone) and code/notification recipients encrypted at rest, with
keyed hashes for sign-in, uniqueness and the code limits (docs/DATA_PROTECTION.md).

Existing rows are encrypted here under the active data key (IDENTITY_DATA_KEYS_FILE /
IDENTITY_DATA_KEY_ID); the downgrade decrypts them back. Usernames now compare through the
normalised hash: two usernames differing only in case could no longer both exist.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from identity.db import vault
from servicekit.crypto.migrations import ClearColumn, decrypt_column, encrypt_column

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

USERNAME = ClearColumn("accounts", "username", hash_kind="username")
PHONE = ClearColumn("accounts", "phone", hash_kind="phone")
LEGACY_PHONE = ClearColumn("legacy_imports", "phone", key=("account_id",), hash_kind="phone")
CODE_RECIPIENT = ClearColumn("verification_codes", "recipient", hash_kind="recipient")
NOTIFIED = ClearColumn("notifications", "recipient", hash_kind="recipient")
RECIPIENT_INDEXES = (
    ("ix_verification_codes_recipient_created", "verification_codes", "created_at"),
    ("ix_notifications_recipient_sent", "notifications", "sent_at"),
)


def upgrade() -> None:
    op.drop_constraint("uq_accounts_username", "accounts", type_="unique")
    op.drop_constraint("uq_accounts_phone", "accounts", type_="unique")
    op.drop_constraint("pk_legacy_imports", "legacy_imports", type_="primary")
    for name, table, _ in RECIPIENT_INDEXES:
        op.drop_index(name, table_name=table)
    for column in (USERNAME, PHONE, LEGACY_PHONE, CODE_RECIPIENT, NOTIFIED):
        encrypt_column(op, column, vault)
    for table, column in (
        ("accounts", "username_hash"),
        ("legacy_imports", "phone_hash"),
        ("verification_codes", "recipient_hash"),
        ("notifications", "recipient_hash"),
    ):
        op.alter_column(table, column, nullable=False)
    op.create_unique_constraint("uq_accounts_username_hash", "accounts", ["username_hash"])
    op.create_unique_constraint("uq_accounts_phone_hash", "accounts", ["phone_hash"])
    op.create_primary_key("pk_legacy_imports", "legacy_imports", ["phone_hash"])
    for name, table, time in RECIPIENT_INDEXES:
        op.create_index(name, table, ["recipient_hash", time])


def downgrade() -> None:
    for name, table, _ in RECIPIENT_INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_constraint("pk_legacy_imports", "legacy_imports", type_="primary")
    op.drop_constraint("uq_accounts_username_hash", "accounts", type_="unique")
    op.drop_constraint("uq_accounts_phone_hash", "accounts", type_="unique")
    decrypt_column(op, NOTIFIED, vault, sa.String(254))
    decrypt_column(op, CODE_RECIPIENT, vault, sa.String(254))
    decrypt_column(op, LEGACY_PHONE, vault, sa.String(20))
    decrypt_column(op, PHONE, vault, sa.String(20))
    decrypt_column(op, USERNAME, vault, sa.String(128))
    op.create_unique_constraint("uq_accounts_username", "accounts", ["username"])
    op.create_unique_constraint("uq_accounts_phone", "accounts", ["phone"])
    op.create_primary_key("pk_legacy_imports", "legacy_imports", ["phone"])
    for name, table, time in RECIPIENT_INDEXES:
        op.create_index(name, table, ["recipient", time])
