"""Which enterprise an account acts for, asked of filing over gRPC (filing owns liaisons)."""

from __future__ import annotations

from dataclasses import dataclass

import grpc

from contracts.gen.filing.v1 import enterprises_pb2 as pb
from contracts.gen.filing.v1 import enterprises_pb2_grpc as pb_grpc
from servicekit import grpc as grpc_kit
from servicekit.errors import NotFound


@dataclass(frozen=True)
class EnterpriseRef:
    id: str
    name: str
    is_filed: bool


class Enterprises:
    """Port to filing.v1.Enterprises; the channel is opened on first use."""

    def __init__(self, target: str, timeout: float) -> None:
        self.target = target
        self.timeout = timeout
        self._channel: grpc.aio.Channel | None = None
        self._stub: pb_grpc.EnterprisesStub | None = None

    def _enterprises(self) -> pb_grpc.EnterprisesStub:
        if self._stub is None:
            self._channel = grpc_kit.channel(self.target)
            self._stub = pb_grpc.EnterprisesStub(self._channel)
        return self._stub

    async def of_account(self, account_id: str) -> EnterpriseRef | None:
        """The enterprise the account is a liaison of, or None when it has none yet."""
        request = pb.GetEnterpriseRequest(account_id=account_id)
        try:
            found = await grpc_kit.call(self._enterprises().GetEnterprise, request,
                                        timeout=self.timeout)
        except NotFound:
            return None
        return EnterpriseRef(id=found.id, name=found.name,
                             is_filed=found.status == pb.ENTERPRISE_STATUS_FILED)

    async def close(self) -> None:
        if self._channel is not None:
            channel, self._channel, self._stub = self._channel, None, None
            await channel.close()
