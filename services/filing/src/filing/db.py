from servicekit.crypto import DataVault
from servicekit.db import new_metadata
from servicekit.inbox import inbox_table
from servicekit.outbox import outbox_table

# Liaison ID numbers and phones, the form data holding them, and the outbox's event payloads
# (`filing.liaison.changed` carries mobiles) are encrypted at rest under this key ring
# (docs/DATA_PROTECTION.md).
vault = DataVault("filing")
metadata = new_metadata()
outbox = outbox_table(metadata, vault)
inbox = inbox_table(metadata)
