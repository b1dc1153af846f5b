from servicekit.crypto import DataVault
from servicekit.db import new_metadata
from servicekit.inbox import inbox_table
from servicekit.outbox import outbox_table

# Document, visa, phone and issued numbers, the audit details and the outbox's event payloads
# (`personnel.application.approved` carries the issued number) are encrypted at rest under this
# key ring (DATA_PROTECTION.md).
vault = DataVault("personnel")
metadata = new_metadata()
outbox = outbox_table(metadata, vault)
inbox = inbox_table(metadata)
