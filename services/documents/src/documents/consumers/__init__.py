"""Inbox handlers of the documents service.

None yet: documents are rendered on request (gRPC `Render`, a later issue), not from events.
Handlers added here run through `servicekit.inbox.EventConsumer` with the service's `inbox` table.
"""
