import filing.accounts.models
import filing.enterprises.models  # noqa: F401
from filing.config import FilingSettings
from filing.db import metadata
from servicekit.migrations import run_migrations

run_migrations(metadata, lambda: FilingSettings().database_url)
