"""gRPC test doubles (real grpc.aio servers on loopback ports) for the services booking calls:
filing (which enterprise an account acts for), personnel (persons and applications) and
documents (slip rendering)."""

from __future__ import annotations

import uuid

import grpc

from contracts.gen.documents.v1 import documents_pb2_grpc as dpb_grpc
from contracts.gen.filing.v1 import enterprises_pb2 as fpb
from contracts.gen.filing.v1 import enterprises_pb2_grpc as fpb_grpc
from contracts.gen.personnel.v1 import people_pb2 as ppb
from contracts.gen.personnel.v1 import people_pb2_grpc as ppb_grpc
from devstack.doubles import DocumentsDouble


class FilingDouble(fpb_grpc.EnterprisesServicer):
    def __init__(self) -> None:
        self.by_account: dict[str, fpb.Enterprise] = {}

    def add(self, account_id: str, enterprise_id: str | None = None) -> str:
        enterprise_id = enterprise_id or str(uuid.uuid4())
        self.by_account[account_id] = fpb.Enterprise(
            id=enterprise_id,
            name="青岛测试贸易有限公司",
            uscc="91350100M000100Y43",
            district="370202",
            status=fpb.ENTERPRISE_STATUS_FILED,
        )
        return enterprise_id

    async def GetEnterprise(
        self, request: fpb.GetEnterpriseRequest, context: grpc.aio.ServicerContext
    ) -> fpb.Enterprise:
        found = self.by_account.get(request.account_id)
        if found is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no such enterprise")
        assert found is not None
        return found


class PersonnelDouble(ppb_grpc.PeopleServicer):
    """Knows the persons and applications a test adds; `any_person_of` answers every unknown
    person id as a person of that enterprise (the race test books for 200 persons)."""

    def __init__(self) -> None:
        self.persons: dict[str, ppb.ForeignPerson] = {}
        self.applications: dict[str, ppb.Application] = {}
        self.any_person_of: str | None = None

    def add_person(self, enterprise_id: str, surname: str = "MÜLLER") -> str:
        person_id = str(uuid.uuid4())
        self.persons[person_id] = ppb.ForeignPerson(
            id=person_id,
            enterprise_id=enterprise_id,
            surname=surname,
            given_names="ANNA",
            nationality="DEU",
            document_type="PASSPORT",
            document_number="C01X00T47",
        )
        return person_id

    def add_application(self, enterprise_id: str, review: str = "PASSED") -> str:
        person_id = self.add_person(enterprise_id, "SMITH")
        application_id = str(uuid.uuid4())
        self.applications[application_id] = ppb.Application(
            id=application_id,
            enterprise_id=enterprise_id,
            foreign_person_id=person_id,
            kind="LICENCE",
            submission="SUBMITTED",
            review=review,
        )
        return application_id

    async def GetForeignPerson(
        self, request: ppb.GetForeignPersonRequest, context: grpc.aio.ServicerContext
    ) -> ppb.ForeignPerson:
        found = self.persons.get(request.person_id)
        if found is None and self.any_person_of is not None:
            found = ppb.ForeignPerson(
                id=request.person_id,
                enterprise_id=self.any_person_of,
                surname="RACE",
                given_names="TEST",
                nationality="USA",
            )
        if found is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no such person")
        assert found is not None
        return found

    async def GetApplication(
        self, request: ppb.GetApplicationRequest, context: grpc.aio.ServicerContext
    ) -> ppb.Application:
        found = self.applications.get(request.application_id)
        if found is None:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no such application")
        assert found is not None
        return found


class Doubles:
    """The three doubles on one grpc.aio server each."""

    def __init__(self) -> None:
        self.filing = FilingDouble()
        self.personnel = PersonnelDouble()
        self.documents = DocumentsDouble()
        self._servers: list[grpc.aio.Server] = []
        self.ports: dict[str, int] = {}

    async def start(self) -> None:
        adders = {
            "filing": lambda s: fpb_grpc.add_EnterprisesServicer_to_server(self.filing, s),
            "personnel": lambda s: ppb_grpc.add_PeopleServicer_to_server(self.personnel, s),
            "documents": lambda s: dpb_grpc.add_DocumentsServicer_to_server(self.documents, s),
        }
        for name, add in adders.items():
            server = grpc.aio.server()
            add(server)
            self.ports[name] = server.add_insecure_port("127.0.0.1:0")
            await server.start()
            self._servers.append(server)

    def target(self, name: str) -> str:
        return f"127.0.0.1:{self.ports[name]}"

    async def stop(self) -> None:
        for server in self._servers:
            await server.stop(grace=None)
        self._servers.clear()
