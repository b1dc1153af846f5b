"""Inbox handlers of the events identity consumes: none yet (identity only publishes)."""
