"""The enterprise a user acts for, as filing knows it (asked over gRPC: the user is waiting)."""
