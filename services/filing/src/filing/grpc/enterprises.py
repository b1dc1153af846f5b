"""filing.v1.Enterprises: thin servicer over the enterprises service layer."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

import grpc

from contracts.gen.filing.v1 import enterprises_pb2 as pb
from contracts.gen.filing.v1 import enterprises_pb2_grpc as pb_grpc
from filing.enterprises import repository
from filing.enterprises.models import Enterprise, EnterpriseStatus, Liaison
from filing.enterprises.service import Enterprises
from servicekit.db import Database
from servicekit.errors import NotFound

STATUS = {
    EnterpriseStatus.UNFILED: pb.ENTERPRISE_STATUS_UNFILED,
    EnterpriseStatus.FILED: pb.ENTERPRISE_STATUS_FILED,
}


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise NotFound() from exc


def enterprise_message(
    found: Enterprise, liaisons: list[Liaison], members: list[uuid.UUID]
) -> pb.Enterprise:
    data = found.data or {}
    first = liaisons[0] if liaisons else None
    return pb.Enterprise(
        id=str(found.id),
        name=found.name,
        uscc=found.uscc or "",
        district=found.district or "",
        status=STATUS[EnterpriseStatus(found.status)],
        address=data.get("operating_address") or data.get("registered_address") or "",
        phone=data.get("phone") or "",
        legal_representative=(data.get("legal_representative") or {}).get("name") or "",
        contact_person=first.name if first else "",
        contact_phone=first.mobile if first else "",
        member_account_ids=[str(member) for member in members],
    )


class EnterprisesServicer(pb_grpc.EnterprisesServicer):
    def __init__(self, db: Database, enterprises: Enterprises) -> None:
        self.db = db
        self.enterprises = enterprises

    async def _find(self, enterprise_id: str) -> Enterprise:
        async with self.db.unit_of_work() as session:
            found = await repository.enterprise(session, _uuid(enterprise_id))
        if found is None:
            raise NotFound()
        return found

    async def GetEnterprise(
        self, request: pb.GetEnterpriseRequest, context: grpc.aio.ServicerContext
    ) -> pb.Enterprise:
        if request.WhichOneof("by") == "account_id":
            async with self.db.unit_of_work() as session:
                found = await self.enterprises.enterprise_of(session, request.account_id)
            if found is None:
                raise NotFound()
        else:
            found = await self._find(request.enterprise_id)
        async with self.db.unit_of_work() as session:
            liaisons = (await repository.liaisons_of(session, [found.id]))[found.id]
            members = await repository.members_of(session, found.id)
        return enterprise_message(found, liaisons, members)

    async def IsEnterpriseActive(
        self, request: pb.IsEnterpriseActiveRequest, context: grpc.aio.ServicerContext
    ) -> pb.EnterpriseActive:
        found = await self._find(request.enterprise_id)
        return pb.EnterpriseActive(active=found.status == EnterpriseStatus.FILED)

    async def ListLiaisons(
        self, request: pb.ListLiaisonsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListLiaisonsResponse:
        found = await self._find(request.enterprise_id)
        async with self.db.unit_of_work() as session:
            rows = (await repository.liaisons_of(session, [found.id]))[found.id]
        return pb.ListLiaisonsResponse(
            liaisons=[
                pb.Liaison(
                    id=str(r.id),
                    name=r.name,
                    mobile=r.mobile,
                    account_id=str(r.account_id) if r.account_id else "",
                )
                for r in rows
            ]
        )


def register(db: Database, enterprises: Enterprises) -> Callable[[grpc.aio.Server], Iterable[str]]:
    def add(server: grpc.aio.Server) -> Iterable[str]:
        pb_grpc.add_EnterprisesServicer_to_server(EnterprisesServicer(db, enterprises), server)
        return [pb.DESCRIPTOR.services_by_name["Enterprises"].full_name]

    return add
