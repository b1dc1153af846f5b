"""Local stack launcher: embedded PostgreSQL, Tansu broker, services and gateway."""
