"""Accounts: registration, approval, sign-in, sessions."""
