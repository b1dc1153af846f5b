from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from personnel.people.models import Sex, TravelDocumentType


@dataclass(frozen=True)
class ForeignPersonForm:
    """What a user enters for a foreign person; `validation.check_form` returns it normalised."""

    surname: str
    given_names: str
    sex: Sex
    birth_date: date
    nationality: str
    document_type: TravelDocumentType
    document_number: str
    document_expiry: date
    chinese_name: str | None = None
    issuing_state: str | None = None
    visa_type: str | None = None
    visa_number: str | None = None
    visa_expiry: date | None = None
    entry_date: date | None = None
    entry_port: str | None = None
    position: str | None = None
    mobile: str | None = None
    email: str | None = None
    address: str | None = None
    # The machine readable zone (2 or 3 lines), when the user scans or types it: its check
    # digits and its data are compared with the fields above.
    mrz: str | None = None


@dataclass(frozen=True)
class PersonQuery:
    search: str | None
    offset: int
    limit: int
