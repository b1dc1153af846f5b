"""Asks identity over gRPC for an account's current state (the user is waiting: no projection)."""

from __future__ import annotations

from dataclasses import dataclass

import servicekit.rpc as rpc
from contracts.gen.identity.v1 import accounts_pb2 as pb
from contracts.gen.identity.v1 import accounts_pb2_grpc as pb_grpc


@dataclass(frozen=True)
class AccountState:
    account_id: str
    name: str
    phone: str
    is_active: bool
    exam_passed: bool


class IdentityAccounts:
    def __init__(self, target: str, deadline_seconds: float) -> None:
        self._accounts = rpc.LazyStub(target, pb_grpc.AccountsStub)
        self._deadline = deadline_seconds

    async def get(self, account_id: str) -> AccountState:
        reply = await rpc.call(
            self._accounts.stub.GetAccount,
            pb.GetAccountRequest(account_id=account_id),
            timeout=self._deadline,
        )
        return AccountState(
            account_id=reply.id,
            name=reply.name,
            phone=reply.phone,
            is_active=reply.status == pb.ACCOUNT_STATUS_ACTIVE,
            exam_passed=reply.exam_passed,
        )

    async def close(self) -> None:
        await self._accounts.close()
