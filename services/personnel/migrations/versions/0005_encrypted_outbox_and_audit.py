"""The outbox's event payloads (`personnel.application.approved` carries the issued licence or
certificate number; sent rows are kept) and the application audit's details (issued numbers)
encrypted at rest (docs/DATA_PROTECTION.md). SQL never looks inside either: the payload is
encrypted in place (it stays `bytea`), the detail becomes text like every encrypted JSON column.

Existing rows are encrypted here under the active data key (PERSONNEL_DATA_KEYS_FILE /
PERSONNEL_DATA_KEY_ID); the downgrade decrypts them back.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from personnel.db import vault
from servicekit.crypto.migrations import (
    ClearColumn,
    decrypt_binary_column,
    decrypt_column,
    encrypt_binary_column,
    encrypt_column,
)

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAYLOAD = ClearColumn("outbox", "payload")
DETAIL = ClearColumn("application_audit", "detail", is_json=True)


def upgrade() -> None:
    encrypt_binary_column(op, PAYLOAD, vault)
    encrypt_column(op, DETAIL, vault)


def downgrade() -> None:
    decrypt_column(op, DETAIL, vault, JSONB)
    decrypt_binary_column(op, PAYLOAD, vault)
