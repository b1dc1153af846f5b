"""Document, visa and phone numbers of foreign persons, and the licence/certificate numbers and
form data (HK/Macao/TW identity card numbers) of employment applications, encrypted at rest, with
keyed hashes of the document number (duplicates, exact search) and of issued numbers (look-ups,
uniqueness) (docs/DATA_PROTECTION.md).

Existing rows are encrypted here under the active data key (PERSONNEL_DATA_KEYS_FILE /
PERSONNEL_DATA_KEY_ID); the downgrade decrypts them back.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from personnel.db import vault
from servicekit.crypto.migrations import ClearColumn, decrypt_column, encrypt_column

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNIQUE = "uq_foreign_persons_enterprise_document"
DOCUMENT = ClearColumn("foreign_persons", "document_number", hash_kind="document")
OTHERS = (
    (ClearColumn("foreign_persons", "visa_number"), sa.String(32)),
    (ClearColumn("foreign_persons", "mobile"), sa.String(20)),
    (ClearColumn("employment_applications", "licence_number"), sa.String(32)),
    (ClearColumn("employment_applications", "certificate_number"), sa.String(32)),
    (ClearColumn("employment_applications", "form", is_json=True), JSONB),
)
APPLICATIONS = "employment_applications"
ISSUED_UNIQUE = "uq_employment_applications_issued_number"
ISSUED = ClearColumn(APPLICATIONS, "issued_number", hash_kind="issued")
NUMBER_INDEXES = (
    ("ix_employment_applications_licence_number", "licence_number"),
    ("ix_employment_applications_certificate_number", "certificate_number"),
)


def upgrade() -> None:
    op.drop_constraint(UNIQUE, "foreign_persons", type_="unique")
    encrypt_column(op, DOCUMENT, vault)
    op.alter_column("foreign_persons", "document_number_hash", nullable=False)
    op.create_unique_constraint(
        UNIQUE, "foreign_persons", ["enterprise_id", "document_type", "document_number_hash"]
    )
    for name, _ in NUMBER_INDEXES:
        op.drop_index(name, table_name=APPLICATIONS)
    for column, _ in OTHERS:
        encrypt_column(op, column, vault)
    op.drop_index(ISSUED_UNIQUE, table_name=APPLICATIONS)
    encrypt_column(op, ISSUED, vault)
    op.create_index(
        ISSUED_UNIQUE,
        APPLICATIONS,
        ["issued_number_hash"],
        unique=True,
        postgresql_where=sa.text("issued_number_hash IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index(ISSUED_UNIQUE, table_name=APPLICATIONS)
    decrypt_column(op, ISSUED, vault, sa.String(32))
    op.create_index(
        ISSUED_UNIQUE,
        APPLICATIONS,
        ["issued_number"],
        unique=True,
        postgresql_where=sa.text("issued_number IS NOT NULL"),
    )
    for column, clear_type in OTHERS:
        decrypt_column(op, column, vault, clear_type)
    for name, column_name in NUMBER_INDEXES:
        op.create_index(name, APPLICATIONS, [column_name])
    op.drop_constraint(UNIQUE, "foreign_persons", type_="unique")
    decrypt_column(op, DOCUMENT, vault, sa.String(32))
    op.create_unique_constraint(
        UNIQUE, "foreign_persons", ["enterprise_id", "document_type", "document_number"]
    )
