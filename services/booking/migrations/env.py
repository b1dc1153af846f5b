# Importing the models registers their tables.
import booking.appointments.models
import booking.locations.models
import booking.seats.models
import booking.waitlist.models  # noqa: F401
from booking.config import BookingSettings
from booking.db import metadata
from servicekit.migrations import run_migrations

run_migrations(metadata, lambda: BookingSettings().database_url)
