from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from personnel.applications.models import ApplicationKind, ReviewStatus, SubmissionStatus


@dataclass(frozen=True)
class ApplicationInput:
    """What the user saves (the whole record each time: absent optional fields are cleared)."""

    kind: ApplicationKind
    foreign_person_id: str
    tips_acknowledged: bool
    form: Any
    id: str | None = None
    requirements_acknowledged: bool | None = None
    licence_number: str | None = None
    certificate_number: str | None = None
    based_on_application_id: str | None = None
    exit_entry_opinion: str | None = None
    exit_entry_opinion_attachment_id: str | None = None


@dataclass(frozen=True)
class ApplicationQuery:
    kind: ApplicationKind | None
    submission: SubmissionStatus | None
    review: ReviewStatus | None
    offset: int
    limit: int
