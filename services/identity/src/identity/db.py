from servicekit.crypto import DataVault
from servicekit.db import new_metadata
from servicekit.inbox import inbox_table
from servicekit.outbox import outbox_table

# Phones (and usernames, often a phone), and the outbox's event payloads (`identity.account.*`
# carry the phone) are encrypted at rest under this key ring (docs/DATA_PROTECTION.md).
vault = DataVault("identity")
metadata = new_metadata()
outbox = outbox_table(metadata, vault)
inbox = inbox_table(metadata)
