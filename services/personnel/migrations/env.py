import personnel.applications.models
import personnel.enterprises.models
import personnel.people.models  # noqa: F401 - registers the tables
from personnel.config import PersonnelSettings
from personnel.db import metadata
from servicekit.migrations import run_migrations

run_migrations(metadata, lambda: PersonnelSettings().database_url)
