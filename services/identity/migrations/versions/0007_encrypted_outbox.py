"""The outbox's event payloads encrypted at rest: `identity.account.*` events carry the phone
and sent rows are kept (docs/DATA_PROTECTION.md). The column stays `bytea` and is converted in
place; the relay publishes the decrypted bytes, so events are unchanged.

Existing rows are encrypted here under the active data key (IDENTITY_DATA_KEYS_FILE /
IDENTITY_DATA_KEY_ID); the downgrade decrypts them back.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

from alembic import op

from identity.db import vault
from servicekit.crypto.migrations import ClearColumn, decrypt_binary_column, encrypt_binary_column

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAYLOAD = ClearColumn("outbox", "payload")


def upgrade() -> None:
    encrypt_binary_column(op, PAYLOAD, vault)


def downgrade() -> None:
    decrypt_binary_column(op, PAYLOAD, vault)
