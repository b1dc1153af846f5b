"""Inbox handlers of the events filing consumes, by event type."""

from filing.accounts.consumers import APPROVED, REJECTED, on_account_reviewed
from filing.enterprises.legacy import IMPORTED, on_account_imported
from servicekit.inbox import Handler

HANDLERS: dict[str, Handler] = {
    APPROVED: on_account_reviewed,
    REJECTED: on_account_reviewed,
    IMPORTED: on_account_imported,
}
