"""personnel.v1.People: thin servicer over the people service layer."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import grpc

from contracts.gen.personnel.v1 import people_pb2 as pb
from contracts.gen.personnel.v1 import people_pb2_grpc as pb_grpc
from personnel.people.service import People
from servicekit.db import Database


class PeopleServicer(pb_grpc.PeopleServicer):
    def __init__(self, db: Database, people: People) -> None:
        self.db = db
        self.people = people

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
        )

    async def GetApplication(
        self, request: pb.GetApplicationRequest, context: grpc.aio.ServicerContext
    ) -> pb.Application:
        # Employment applications are a later slice; say so instead of answering "not found".
        await context.abort(
            grpc.StatusCode.UNIMPLEMENTED,
            "employment applications are not implemented in personnel yet",
        )
        raise AssertionError("context.abort raises")  # pragma: no cover


def register(db: Database, people: People) -> Callable[[grpc.aio.Server], Iterable[str]]:
    def add(server: grpc.aio.Server) -> Iterable[str]:
        pb_grpc.add_PeopleServicer_to_server(PeopleServicer(db, people), server)
        return [pb.DESCRIPTOR.services_by_name["People"].full_name]

    return add
