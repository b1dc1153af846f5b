"""Tells users about decisions taken in other services, by SMS or e-mail."""
