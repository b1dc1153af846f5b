"""Liaisons' ID numbers and mobiles, the account projection's phones and every form data
document (which holds ID numbers and phones) encrypted at rest; keyed hashes of the phones for
look-ups and the one-liaison-per-mobile rule (docs/DATA_PROTECTION.md). SQL never looked inside
the form data, so each document is encrypted whole.

Existing rows are encrypted here under the active data key (FILING_DATA_KEYS_FILE /
FILING_DATA_KEY_ID); the downgrade decrypts them back.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from filing.db import vault
from servicekit.crypto.migrations import ClearColumn, decrypt_column, encrypt_column

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIAISON_UNIQUE = "uq_liaisons_enterprise_id"
PHONE_INDEX = "ix_account_projection_phone"
MOBILE = ClearColumn("liaisons", "mobile", hash_kind="phone")
PHONE = ClearColumn("account_projection", "phone", key=("account_id",), hash_kind="phone")
TEXTS = ((ClearColumn("liaisons", "id_number"), sa.String(32)),)
DOCUMENTS = (
    ClearColumn("enterprises", "data", is_json=True),
    ClearColumn("filings", "data", is_json=True),
    ClearColumn("filings", "base_data", is_json=True),
    ClearColumn("filing_revisions", "data", key=("filing_id", "revision"), is_json=True),
    ClearColumn("enterprise_versions", "data", key=("enterprise_id", "version"), is_json=True),
)


def upgrade() -> None:
    op.drop_constraint(LIAISON_UNIQUE, "liaisons", type_="unique")
    op.drop_index(PHONE_INDEX, table_name="account_projection")
    op.alter_column("enterprises", "data", server_default=None)
    for column in (MOBILE, PHONE, *(c for c, _ in TEXTS), *DOCUMENTS):
        encrypt_column(op, column, vault)
    op.alter_column("liaisons", "mobile_hash", nullable=False)
    op.create_unique_constraint(LIAISON_UNIQUE, "liaisons", ["enterprise_id", "mobile_hash"])
    op.create_index("ix_account_projection_phone_hash", "account_projection", ["phone_hash"])


def downgrade() -> None:
    op.drop_index("ix_account_projection_phone_hash", table_name="account_projection")
    op.drop_constraint(LIAISON_UNIQUE, "liaisons", type_="unique")
    for column in DOCUMENTS:
        decrypt_column(op, column, vault, JSONB)
    for column, clear_type in TEXTS:
        decrypt_column(op, column, vault, clear_type)
    decrypt_column(op, PHONE, vault, sa.String(20))
    decrypt_column(op, MOBILE, vault, sa.String(20))
    op.alter_column("enterprises", "data", server_default="{}")
    op.create_unique_constraint(LIAISON_UNIQUE, "liaisons", ["enterprise_id", "mobile"])
    op.create_index(PHONE_INDEX, "account_projection", ["phone"])
