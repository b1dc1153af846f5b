"""Inbox handlers of personnel. None yet: foreign person records need no other service's events.

When one is added (e.g. reacting to `filing.enterprise.changed`), it goes here and is wired as an
`EventConsumer` in `personnel.inject`.
"""
