"""identity.v1.Accounts: thin servicer over the accounts service layer."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import grpc

from contracts.gen.identity.v1 import accounts_pb2 as pb
from contracts.gen.identity.v1 import accounts_pb2_grpc as pb_grpc
from identity.accounts.models import Account, AccountStatus
from identity.accounts.service import Accounts
from identity.exam.service import Exams
from servicekit.db import Database

STATUS = {
    AccountStatus.PENDING_APPROVAL: pb.ACCOUNT_STATUS_PENDING_APPROVAL,
    AccountStatus.ACTIVE: pb.ACCOUNT_STATUS_ACTIVE,
    AccountStatus.REJECTED: pb.ACCOUNT_STATUS_REJECTED,
    AccountStatus.DISABLED: pb.ACCOUNT_STATUS_DISABLED,
}


def account_message(account: Account) -> pb.Account:
    return pb.Account(
        id=str(account.id),
        name=account.name,
        phone=account.phone or "",
        email=account.email or "",
        status=STATUS[AccountStatus(account.status)],
        roles=list(account.roles),
        exam_passed=account.exam_passed_at is not None,
        password_change_required=account.password_change_required,
    )


class AccountsServicer(pb_grpc.AccountsServicer):
    def __init__(self, db: Database, accounts: Accounts, exams: Exams) -> None:
        self.db = db
        self.accounts = accounts
        self.exams = exams

    async def GetAccount(
        self, request: pb.GetAccountRequest, context: grpc.aio.ServicerContext
    ) -> pb.Account:
        async with self.db.unit_of_work() as session:
            account = await self.accounts.get(session, request.account_id)
        return account_message(account)

    async def GetExamStatus(
        self, request: pb.GetExamStatusRequest, context: grpc.aio.ServicerContext
    ) -> pb.ExamStatus:
        async with self.db.unit_of_work() as session:
            account = await self.accounts.get(session, request.account_id)
            status = await self.exams.status(session, account)
        passed_at = status.passed_at
        return pb.ExamStatus(
            account_id=str(account.id),
            passed=passed_at is not None,
            best_score=status.best_score or 0,
            passed_at=passed_at.isoformat() if passed_at else "",
        )


def register(
    db: Database, accounts: Accounts, exams: Exams
) -> Callable[[grpc.aio.Server], Iterable[str]]:
    def add(server: grpc.aio.Server) -> Iterable[str]:
        pb_grpc.add_AccountsServicer_to_server(AccountsServicer(db, accounts, exams), server)
        return [pb.DESCRIPTOR.services_by_name["Accounts"].full_name]

    return add
