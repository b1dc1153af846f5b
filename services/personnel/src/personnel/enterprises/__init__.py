"""Enterprises as personnel sees them: a projection of filing's events, with filing's gRPC as the
fallback while the projection has not caught up."""
