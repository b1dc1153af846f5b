import booking.locations.models  # noqa: F401 - registers the tables
from booking.config import BookingSettings
from booking.db import metadata
from servicekit.migrations import run_migrations

run_migrations(metadata, lambda: BookingSettings().database_url)
