"""What `python -m servicekit.crypto rotate --service identity` re-encrypts: every table."""

from __future__ import annotations

import identity.accounts.models
import identity.exam.models
import identity.exam.study
import identity.verification.models  # noqa: F401 - registers the tables
from identity.config import IdentitySettings
from identity.db import metadata, vault
from servicekit.crypto.rotation import RotationTarget


def rotation_target() -> RotationTarget:
    settings = IdentitySettings()
    return RotationTarget(vault, metadata, settings.database_url, settings.is_dev)
