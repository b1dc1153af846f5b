"""Which enterprise an account acts for, asked of filing over gRPC (filing owns liaisons).
Shared because several services scope their data to the caller's enterprise."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

import servicekit.rpc as rpc
from contracts.gen.filing.v1 import enterprises_pb2 as pb
from contracts.gen.filing.v1 import enterprises_pb2_grpc as pb_grpc
from servicekit.errors import NotFound, UpstreamUnavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EnterpriseRef:
    id: uuid.UUID
    name: str
    is_filed: bool  # its filing was approved (ENTERPRISE_STATUS_FILED)


@dataclass(frozen=True)
class EnterpriseDetails:
    """What forms print and notifications need of an enterprise (filing's approved data; empty
    strings before the approval)."""

    id: uuid.UUID
    name: str
    uscc: str
    district: str
    is_filed: bool
    address: str
    phone: str
    legal_representative: str
    contact_person: str
    contact_phone: str
    member_account_ids: tuple[str, ...]  # every account that acts for it: whom to notify


class FilingEnterprises:
    def __init__(self, target: str, deadline_seconds: float) -> None:
        self._enterprises = rpc.LazyStub(target, pb_grpc.EnterprisesStub)
        self._deadline = deadline_seconds

    async def of_account(self, account_id: str) -> EnterpriseRef | None:
        """The enterprise this account acts for; None when it has none yet."""
        try:
            reply = await rpc.call(
                self._enterprises.stub.GetEnterprise,
                pb.GetEnterpriseRequest(account_id=account_id),
                timeout=self._deadline,
            )
        except NotFound:
            return None
        try:
            enterprise_id = uuid.UUID(reply.id)
        except ValueError as exc:
            log.error("filing answered an enterprise id that is not a UUID: %r", reply.id)
            raise UpstreamUnavailable() from exc
        return EnterpriseRef(
            id=enterprise_id, name=reply.name, is_filed=reply.status == pb.ENTERPRISE_STATUS_FILED
        )

    async def get(self, enterprise_id: str) -> EnterpriseDetails:
        """The enterprise by id; NotFound when filing does not know it."""
        reply = await rpc.call(
            self._enterprises.stub.GetEnterprise,
            pb.GetEnterpriseRequest(enterprise_id=enterprise_id),
            timeout=self._deadline,
        )
        try:
            key = uuid.UUID(reply.id)
        except ValueError as exc:
            log.error("filing answered an enterprise id that is not a UUID: %r", reply.id)
            raise UpstreamUnavailable() from exc
        return EnterpriseDetails(
            id=key,
            name=reply.name,
            uscc=reply.uscc,
            district=reply.district,
            is_filed=reply.status == pb.ENTERPRISE_STATUS_FILED,
            address=reply.address,
            phone=reply.phone,
            legal_representative=reply.legal_representative,
            contact_person=reply.contact_person,
            contact_phone=reply.contact_phone,
            member_account_ids=tuple(reply.member_account_ids),
        )

    async def close(self) -> None:
        await self._enterprises.close()
