"""What `python -m servicekit.crypto rotate --service personnel` re-encrypts: every table."""

from __future__ import annotations

import personnel.applications.models
import personnel.enterprises.models
import personnel.people.models  # noqa: F401 - registers the tables
from personnel.config import PersonnelSettings
from personnel.db import metadata, vault
from servicekit.crypto.rotation import RotationTarget


def rotation_target() -> RotationTarget:
    settings = PersonnelSettings()
    return RotationTarget(vault, metadata, settings.database_url, settings.is_dev)
