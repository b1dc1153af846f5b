"""Inbox handlers of the events personnel consumes, by event type."""

from personnel.enterprises.consumers import APPROVED, CHANGED, on_enterprise_event
from servicekit.inbox import Handler

HANDLERS: dict[str, Handler] = {
    APPROVED: on_enterprise_event,
    CHANGED: on_enterprise_event,
}
