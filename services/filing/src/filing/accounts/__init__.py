"""Accounts as filing sees them: a projection of identity's events, and identity over gRPC."""
