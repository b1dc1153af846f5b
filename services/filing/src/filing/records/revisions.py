"""When a record's revision grows. The revision is what the printed forms carry, so it grows
whenever the data a printed form shows could be out of date:

- the first edit after a rejection (the user downloads the new form and uploads it again);
- a change of data after a form of the current revision was printed (so that the old paper is
  recognised as stale when it comes back)."""

from __future__ import annotations

from typing import Any

from filing.enterprises.models import Filing, FilingStatus
from filing.errors import FilingLocked

EDITABLE = (FilingStatus.DRAFT, FilingStatus.REJECTED)


def begin_edit(record: Filing, data: dict[str, Any] | None = None) -> None:
    """Prepares `record` for an edit (new `data`, or None for an attachment); FilingLocked while
    it is under review or approved."""
    if record.status not in EDITABLE:
        raise FilingLocked()
    if record.status == FilingStatus.REJECTED:
        record.status = FilingStatus.DRAFT
        record.revision += 1
    elif (
        data is not None
        and data != record.data
        and (record.printed_revision or 0) >= record.revision
    ):
        record.revision += 1
    if data is not None:
        record.data = data
