"""Verification codes by SMS or e-mail, and the notification log."""
