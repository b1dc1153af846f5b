"""Input of the filing service layer (the GraphQL inputs are translated into these)."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class PersonForm:
    name: str
    id_type: str | None = None
    id_number: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class LiaisonForm:
    name: str
    sex: str
    id_type: str
    id_number: str
    mobile: str
    social_security_months: int
    position: str | None = None
    photo_attachment_id: uuid.UUID | None = None


@dataclass(frozen=True)
class FilingForm:
    enterprise_name: str
    uscc: str
    id: uuid.UUID | None = None
    enterprise_type: str | None = None
    industry: str | None = None
    district: str | None = None
    registered_address: str | None = None
    operating_address: str | None = None
    phone: str | None = None
    legal_representative: PersonForm | None = None
    responsible_person: PersonForm | None = None
    liaisons: list[LiaisonForm] | None = None

    def as_data(self) -> dict[str, Any]:
        """The JSON stored as the filing's form (ids as strings)."""
        data = asdict(self)
        data.pop("id")
        for liaison in data.get("liaisons") or []:
            if liaison.get("photo_attachment_id"):
                liaison["photo_attachment_id"] = str(liaison["photo_attachment_id"])
        return data
