"""Events personnel publishes about foreign persons (topic `personnel.person.v1`, key = person id).

Events leave the platform's database; no document number or other personal data goes into them.
"""

from __future__ import annotations

from typing import Any

from personnel.people.models import ForeignPerson

REGISTERED = "personnel.person.registered"


def registered_data(person: ForeignPerson) -> dict[str, Any]:
    return {
        "personId": str(person.id),
        "enterpriseId": str(person.enterprise_id),
        "nationality": person.nationality,
        "documentType": str(person.document_type),
    }
