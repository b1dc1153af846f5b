"""personnel.v1.People: thin servicer over the people and applications service layers."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import grpc

from contracts.gen.personnel.v1 import people_pb2 as pb
from contracts.gen.personnel.v1 import people_pb2_grpc as pb_grpc
from personnel.applications.service import Applications
from personnel.people.service import People
from servicekit.db import Database


class PeopleServicer(pb_grpc.PeopleServicer):
    def __init__(self, db: Database, people: People, applications: Applications) -> None:
        self.db = db
        self.people = people
        self.applications = applications

    async def GetForeignPerson(
        self, request: pb.GetForeignPersonRequest, context: grpc.aio.ServicerContext
    ) -> pb.ForeignPerson:
        async with self.db.unit_of_work() as session:
            person = await self.people.get(session, request.person_id)
        return pb.ForeignPerson(
            id=str(person.id),
            enterprise_id=str(person.enterprise_id),
            surname=person.surname,
            given_names=person.given_names,
            nationality=person.nationality,
            document_type=person.document_type,
            document_number=person.document_number,
        )

    async def GetApplication(
        self, request: pb.GetApplicationRequest, context: grpc.aio.ServicerContext
    ) -> pb.Application:
        async with self.db.unit_of_work() as session:
            found = await self.applications.internal(session, request.application_id)
        return pb.Application(
            id=str(found.id),
            enterprise_id=str(found.enterprise_id),
            foreign_person_id=str(found.foreign_person_id),
            kind=str(found.kind),
            submission=str(found.submission),
            review=str(found.review),
        )


def register(
    db: Database, people: People, applications: Applications
) -> Callable[[grpc.aio.Server], Iterable[str]]:
    def add(server: grpc.aio.Server) -> Iterable[str]:
        pb_grpc.add_PeopleServicer_to_server(PeopleServicer(db, people, applications), server)
        return [pb.DESCRIPTOR.services_by_name["People"].full_name]

    return add
