"""Shared plumbing for the platform's services. Small and boring on purpose."""
