"""Identity subgraph. Resolvers translate and call the service layer; no rules here."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from identity.accounts.schemas import AccountReview, Registration, Session
from identity.graphql.account_admin import AccountMutations
from identity.graphql.context import IdentityContext
from identity.graphql.exam_schema import ExamDevQuery, ExamMutation, ExamQuery
from identity.graphql.types import (
    Account,
    AccountConnection,
    AuthPayload,
    Channel,
    CodePurpose,
    DevMessage,
    RegisterInput,
    ReviewReason,
)
from identity.verification import repository as messages
from identity.verification.service import normalise_recipient
from servicekit.auth import Actor
from servicekit.errors import NotFound, ValidationFailed
from servicekit.graphql import SubgraphSchema, connection_of, page_of

Ctx = Info[IdentityContext, None]


@strawberry.type
class Query(ExamQuery):
    @strawberry.field(description="The signed-in account")
    async def me(self, info: Ctx) -> Account:
        actor = await info.context.actor(allow_password_change=True)
        model = await info.context.accounts.load(actor.account_id)
        if model is None:
            raise NotFound()
        return Account.from_model(model, actor)

    @strawberry.field(description="Officers: accounts waiting for approval, oldest due first")
    async def pending_accounts(
        self, info: Ctx, first: int | None = None, after: str | None = None
    ) -> AccountConnection:
        actor = await info.context.actor()
        page = page_of(first, after)
        container = info.context.container
        async with container.db.unit_of_work() as session:
            rows, total = await container.accounts.pending(session, actor, page.offset, page.limit)
        return connection_of(rows, page, total, lambda row: Account.from_model(row, actor))


@strawberry.type
class DevQuery(Query, ExamDevQuery):
    @strawberry.field(description="Dev mode only: messages the console senders sent, newest first")
    async def dev_messages(self, info: Ctx, recipient: str) -> list[DevMessage]:
        async with info.context.container.db.unit_of_work() as session:
            rows = []
            for channel in (Channel.SMS, Channel.EMAIL):
                try:
                    address = normalise_recipient(channel, recipient)
                except ValidationFailed:
                    continue  # not an address of this channel
                rows += await messages.messages_to(session, address)
        rows.sort(key=lambda row: row.sent_at, reverse=True)
        return [
            DevMessage(recipient=r.recipient, channel=r.channel, text=r.text, sent_at=r.sent_at)
            for r in rows
        ]


@strawberry.type
class Mutation(AccountMutations, ExamMutation):
    @strawberry.mutation(description="Sends a 6-digit code by SMS or e-mail")
    async def request_verification_code(
        self, info: Ctx, channel: Channel, recipient: str, purpose: CodePurpose
    ) -> bool:
        container = info.context.container
        async with container.db.unit_of_work() as session:
            if purpose == CodePurpose.RESET_PASSWORD:
                await container.sessions.request_reset_code(
                    session, channel, recipient, info.context.client_ip
                )
            else:
                await container.codes.request(
                    session, channel, recipient, purpose, info.context.client_ip
                )
        return True

    @strawberry.mutation(description="Creates an account waiting for officer approval")
    async def register_account(self, info: Ctx, input: RegisterInput) -> Account:
        container = info.context.container
        form = Registration(
            code=input.code,
            password=input.password,
            name=input.name,
            phone=input.phone,
            email=input.email,
        )
        async with container.db.unit_of_work() as session:
            account = await container.accounts.register(session, form)
        return Account.from_model(account, None)

    @strawberry.mutation
    async def login(self, info: Ctx, username: str, password: str) -> AuthPayload:
        container = info.context.container
        async with container.db.unit_of_work() as session:
            result = await container.sessions.login(
                session, username, password, info.context.client_ip
            )
        return _payload(result)

    @strawberry.mutation
    async def refresh_session(self, info: Ctx, refresh_token: str) -> AuthPayload:
        container = info.context.container
        async with container.db.unit_of_work() as session:
            result = await container.sessions.refresh(session, refresh_token)
        return _payload(result)

    @strawberry.mutation
    async def logout(self, info: Ctx, refresh_token: str) -> bool:
        container = info.context.container
        async with container.db.unit_of_work() as session:
            return await container.sessions.logout(session, refresh_token)

    @strawberry.mutation(description="Officers: approve or reject a pending account")
    async def review_account(
        self, info: Ctx, id: strawberry.ID, approve: bool, reason: ReviewReason = None
    ) -> Account:
        actor = await info.context.actor()
        try:
            account_id = uuid.UUID(str(id))
        except ValueError as exc:
            raise NotFound() from exc
        container = info.context.container
        async with container.db.unit_of_work() as session:
            account = await container.accounts.review(
                session, actor, AccountReview(account_id, approve, reason)
            )
        return Account.from_model(account, actor)


def _payload(result: Session) -> AuthPayload:
    account = result.account
    himself = Actor(account_id=str(account.id), roles=frozenset())
    return AuthPayload(
        access_token=result.access_token,
        refresh_token=result.refresh_token,
        expires_in=result.expires_in,
        account=Account.from_model(account, himself),
    )


def build_schema(*, dev: bool) -> SubgraphSchema:
    return SubgraphSchema(query=DevQuery if dev else Query, mutation=Mutation, types=[Account])
