from servicekit.crypto import DataVault
from servicekit.db import new_metadata
from servicekit.inbox import inbox_table
from servicekit.outbox import outbox_table

metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
# Liaison ID numbers and phones, and the form data holding them, are encrypted at rest under
# this key ring (docs/DATA_PROTECTION.md).
vault = DataVault("filing")
