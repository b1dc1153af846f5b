"""Filing subgraph. Resolvers translate and call the service layer; no rules here."""

from __future__ import annotations

from datetime import datetime
from typing import TypeAlias, cast

import strawberry
from strawberry.scalars import JSON

from filing.enterprises.models import AuditEntry as AuditEntryModel
from filing.enterprises.models import ChangeKind, FilingStatus, RecordType
from filing.graphql.enums import AttachmentKind
from filing.graphql.inputs import (
    EnterpriseChangeInput,
    FilingInput,
    LiaisonInput,
    ReviewInput,
    parse_id,
)
from filing.graphql.types import Account, Ctx, Enterprise, Filing, FilingConnection
from filing.records import audit
from filing.records.schemas import FilingFilter
from servicekit.graphql import Connection, SubgraphSchema, connection_of, page_of


@strawberry.type(description="An entry of the audit log: who did what to which record, when")
class AuditEntry:
    at: datetime
    actor_id: strawberry.ID
    actor_name: str
    actor_roles: list[str]
    action: str
    filing_id: strawberry.ID | None
    enterprise_id: strawberry.ID | None
    detail: JSON

    @classmethod
    def from_model(cls, model: AuditEntryModel) -> AuditEntry:
        return cls(
            at=model.at,
            actor_id=strawberry.ID(str(model.actor_id)),
            actor_name=model.actor_name,
            actor_roles=list(model.actor_roles),
            action=model.action,
            filing_id=strawberry.ID(str(model.filing_id)) if model.filing_id else None,
            enterprise_id=strawberry.ID(str(model.enterprise_id)) if model.enterprise_id else None,
            detail=cast(JSON, model.detail),
        )


AuditEntryConnection: TypeAlias = Connection[AuditEntry]


@strawberry.type
class Query:
    @strawberry.field(
        description="The enterprise the signed-in user acts for; null before the first save"
    )
    async def my_enterprise(self, info: Ctx) -> Enterprise | None:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            found = await container.enterprises.enterprise_of(session, actor.account_id)
        return None if found is None else Enterprise.from_model(found)

    @strawberry.field(
        description="A record: its enterprise's users and its creator, or officers (audited)"
    )
    async def filing(self, info: Ctx, id: strawberry.ID) -> Filing | None:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            record = await container.records.get(session, actor, str(id))
        found = Filing.from_model(record)
        await info.context.audit_read(found.data_read())  # opening a record reads it
        return found

    @strawberry.field(
        description="Officers: their queue (branch: their districts' submitted records; city: "
        "every submitted record), oldest submission first. Enterprise users: their records."
    )
    async def filings(
        self,
        info: Ctx,
        status: FilingStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        record_type: RecordType | None = None,
        change_kind: ChangeKind | None = None,
        district: str | None = None,
        uscc: str | None = None,
        name: str | None = None,
        submitted_from: datetime | None = None,
        submitted_to: datetime | None = None,
    ) -> FilingConnection:
        actor = await info.context.actor()
        page = page_of(first, after)
        where = FilingFilter(
            status=status.value if status else None,
            record_type=record_type.value if record_type else None,
            change_kind=change_kind.value if change_kind else None,
            district=district,
            uscc=uscc,
            name=name,
            submitted_from=submitted_from,
            submitted_to=submitted_to,
        )
        container = info.context.container
        async with container.db.unit_of_work() as session:
            rows, total = await container.records.search(session, actor, where, page)
        return connection_of(rows, page, total, Filing.from_model)

    @strawberry.field(description="City officers and admins: the audit log, newest first")
    async def filing_audit_log(
        self,
        info: Ctx,
        filing_id: strawberry.ID | None = None,
        enterprise_id: strawberry.ID | None = None,
        action: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> AuditEntryConnection:
        actor = await info.context.actor()
        page = page_of(first, after)
        container = info.context.container
        async with container.db.unit_of_work() as session:
            rows, total = await audit.entries(
                session,
                actor,
                page,
                filing_id=parse_id(filing_id, "filingId"),
                enterprise_id=parse_id(enterprise_id, "enterpriseId"),
                action=action,
            )
        return connection_of(rows, page, total, AuditEntry.from_model)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Creates or updates the DRAFT/REJECTED filing record (an edit after a "
        "rejection starts a new revision)"
    )
    async def save_filing(self, info: Ctx, input: FilingInput) -> Filing:
        actor = await info.context.actor()
        form = input.to_form()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            record = await container.enterprises.save_filing(session, actor, form)
        return Filing.from_model(record)

    @strawberry.mutation(description="Places an uploaded file in one of the record's slots")
    async def attach_to_filing(
        self,
        info: Ctx,
        filing_id: strawberry.ID,
        kind: AttachmentKind,
        attachment_id: strawberry.ID,
        liaison_index: int | None = None,
    ) -> Filing:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            record = await container.records.attach(
                session, actor, str(filing_id), kind.value, str(attachment_id), liaison_index or 0
            )
        return Filing.from_model(record)

    @strawberry.mutation(description="Submits the record for review (branch, then city)")
    async def submit_filing(self, info: Ctx, id: strawberry.ID) -> Filing:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            record = await container.records.submit(session, actor, str(id))
        return Filing.from_model(record)

    @strawberry.mutation(
        description="Officers: holds the record for review until the claim expires"
    )
    async def claim_filing(self, info: Ctx, id: strawberry.ID) -> Filing:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            record = await container.reviews.claim(session, actor, str(id))
        return Filing.from_model(record)

    @strawberry.mutation(description="Officers: gives back a record they hold")
    async def release_filing(self, info: Ctx, id: strawberry.ID) -> Filing:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            record = await container.reviews.release(session, actor, str(id))
        return Filing.from_model(record)

    @strawberry.mutation(
        description="Officers: approve or reject at their level; deciding an unclaimed record "
        "claims it implicitly"
    )
    async def review_filing(self, info: Ctx, id: strawberry.ID, input: ReviewInput) -> Filing:
        actor = await info.context.actor()
        decision = input.to_decision()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            record = await container.reviews.decide(session, actor, str(id), decision)
        return Filing.from_model(record)

    @strawberry.mutation(description="附件3 一(一): the current liaison names their replacement")
    async def request_liaison_change(self, info: Ctx, input: LiaisonInput) -> Filing:
        actor = await info.context.actor()
        form = input.to_form("input")
        container = info.context.container
        async with container.db.unit_of_work() as session:
            record = await container.changes.liaison_change(session, actor, form)
        return Filing.from_model(record)

    @strawberry.mutation(description="附件3 二: adds a second liaison (at most two)")
    async def request_liaison_addition(self, info: Ctx, input: LiaisonInput) -> Filing:
        actor = await info.context.actor()
        form = input.to_form("input")
        container = info.context.container
        async with container.db.unit_of_work() as session:
            record = await container.changes.liaison_addition(session, actor, form)
        return Filing.from_model(record)

    @strawberry.mutation(
        description="附件4: changes name, address, legal representative or phone (a CHANGE record)"
    )
    async def request_enterprise_change(self, info: Ctx, input: EnterpriseChangeInput) -> Filing:
        actor = await info.context.actor()
        form = input.to_form()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            record = await container.changes.enterprise_change(session, actor, form)
        return Filing.from_model(record)

    @strawberry.mutation(
        description="A liaison binds the enterprise's HR user (an approved e-mail account): it "
        "then sees the enterprise's foreign persons and permit applications"
    )
    async def bind_hr_account(self, info: Ctx, email: str) -> Enterprise:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            enterprise = await container.members.bind_hr(session, actor, email)
        return Enterprise.from_model(enterprise)

    @strawberry.mutation(description="A liaison unbinds the enterprise's HR user")
    async def unbind_hr_account(self, info: Ctx, account_id: strawberry.ID) -> Enterprise:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            enterprise = await container.members.unbind_hr(session, actor, str(account_id))
        return Enterprise.from_model(enterprise)


def build_schema(*, dev: bool) -> SubgraphSchema:
    return SubgraphSchema(query=Query, mutation=Mutation, types=[Account, Enterprise, Filing])
