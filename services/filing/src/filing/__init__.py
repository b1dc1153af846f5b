"""The filing service."""
