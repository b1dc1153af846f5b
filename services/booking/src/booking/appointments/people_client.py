"""personnel over gRPC: the foreign person or employment application an appointment is for."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import servicekit.rpc as rpc
from contracts.gen.personnel.v1 import people_pb2 as pb
from contracts.gen.personnel.v1 import people_pb2_grpc as pb_grpc


@dataclass(frozen=True)
class PersonRef:
    id: uuid.UUID
    enterprise_id: str
    name: str  # surname and given names, as on the travel document
    document_number: str = ""


@dataclass(frozen=True)
class ApplicationRef:
    id: uuid.UUID
    enterprise_id: str
    foreign_person_id: str
    kind: str
    submission: str  # UNSUBMITTED | SUBMITTED
    review: str  # NONE | PENDING | PASSED | FAILED


class PersonnelPeople:
    def __init__(self, target: str, deadline_seconds: float) -> None:
        self._people = rpc.LazyStub(target, pb_grpc.PeopleStub)
        self._deadline = deadline_seconds

    async def person(self, person_id: uuid.UUID) -> PersonRef:
        """NotFound when personnel does not know the person."""
        reply = await rpc.call(
            self._people.stub.GetForeignPerson,
            pb.GetForeignPersonRequest(person_id=str(person_id)),
            timeout=self._deadline,
        )
        name = " ".join(part for part in (reply.surname, reply.given_names) if part)
        return PersonRef(
            id=person_id,
            enterprise_id=reply.enterprise_id,
            name=name or reply.id,
            document_number=reply.document_number,
        )

    async def application(self, application_id: uuid.UUID) -> ApplicationRef:
        """NotFound when personnel does not know the application."""
        reply = await rpc.call(
            self._people.stub.GetApplication,
            pb.GetApplicationRequest(application_id=str(application_id)),
            timeout=self._deadline,
        )
        return ApplicationRef(
            id=application_id,
            enterprise_id=reply.enterprise_id,
            foreign_person_id=reply.foreign_person_id,
            kind=reply.kind,
            submission=reply.submission,
            review=reply.review,
        )

    async def close(self) -> None:
        await self._people.close()
