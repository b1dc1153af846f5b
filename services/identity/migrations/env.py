import identity.accounts.models
import identity.exam.models
import identity.exam.study
import identity.verification.models  # noqa: F401
from identity.config import IdentitySettings
from identity.db import metadata
from servicekit.migrations import run_migrations

run_migrations(metadata, lambda: IdentitySettings().database_url)
