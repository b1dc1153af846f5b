"""Port to filing's `filing.v1.Enterprises`: which enterprise an account acts for."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

import grpc
from contracts.gen.filing.v1 import enterprises_pb2 as pb
from contracts.gen.filing.v1 import enterprises_pb2_grpc as pb_grpc
from servicekit import grpc as grpc_kit
from servicekit.errors import NotFound, UpstreamUnavailable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EnterpriseRef:
    id: uuid.UUID
    name: str
    is_filed: bool  # its filing was approved (ENTERPRISE_STATUS_FILED)


class Enterprises:
    def __init__(self, target: str, deadline_seconds: float) -> None:
        self._target = target
        self._deadline = deadline_seconds
        self._channel: grpc.aio.Channel | None = None
        self._stub: pb_grpc.EnterprisesStub | None = None

    def _enterprises(self) -> pb_grpc.EnterprisesStub:
        # Created on first use, inside the running event loop that grpc.aio binds it to.
        if self._stub is None:
            self._channel = grpc_kit.channel(self._target)
            self._stub = pb_grpc.EnterprisesStub(self._channel)
        return self._stub

    async def of_account(self, account_id: str) -> EnterpriseRef | None:
        """The enterprise this account acts for; None when it has none yet."""
        try:
            reply = await grpc_kit.call(
                self._enterprises().GetEnterprise,
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

    async def close(self) -> None:
        if self._channel is not None:
            await self._channel.close()
            self._channel = self._stub = None
