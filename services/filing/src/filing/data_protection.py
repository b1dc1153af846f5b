"""What `python -m servicekit.crypto rotate --service filing` re-encrypts: every table."""

from __future__ import annotations

import filing.accounts.models
import filing.enterprises.models  # noqa: F401 - registers the tables
from filing.config import FilingSettings
from filing.db import metadata, vault
from servicekit.crypto.rotation import RotationTarget


def rotation_target() -> RotationTarget:
    settings = FilingSettings()
    return RotationTarget(vault, metadata, settings.database_url, settings.is_dev)
