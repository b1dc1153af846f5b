"""Queries and mutations of employment applications (merged into the subgraph's root types)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from personnel.applications.models import ApplicationKind, ReviewStatus, SubmissionStatus
from personnel.applications.schemas import ApplicationQuery as ApplicationFilter
from personnel.graphql.application import (
    EmploymentApplication,
    EmploymentApplicationConnection,
    EmploymentApplicationInput,
)
from personnel.graphql.context import PersonnelContext
from servicekit.graphql import connection_of, page_of

Ctx = Info[PersonnelContext, None]


@strawberry.type
class ApplicationQuery:
    @strawberry.field(
        description="Enterprise users: their enterprise's applications, newest first. Labour "
        "officers: submitted applications, soonest due first (isOverdue). Others: FORBIDDEN"
    )
    async def employment_applications(
        self,
        info: Ctx,
        kind: ApplicationKind | None = None,
        submission: SubmissionStatus | None = None,
        review: ReviewStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> EmploymentApplicationConnection:
        actor = await info.context.actor()
        page = page_of(first, after)
        container = info.context.container
        async with container.db.unit_of_work() as session:
            rows, total = await container.applications.search(
                session,
                actor,
                ApplicationFilter(kind, submission, review, page.offset, page.limit),
            )
        return connection_of(rows, page, total, EmploymentApplication.from_model)

    @strawberry.field(description="One application (查看)")
    async def employment_application(self, info: Ctx, id: strawberry.ID) -> EmploymentApplication:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            found = await container.applications.get(session, actor, str(id))
        return EmploymentApplication.from_model(found)


@strawberry.type
class ApplicationMutation:
    @strawberry.mutation(
        description="Creates an application, or modifies one while unsubmitted or after a "
        "failed pre-review (a new revision); the enterprise's filing must be approved"
    )
    async def save_employment_application(
        self, info: Ctx, input: EmploymentApplicationInput
    ) -> EmploymentApplication:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            saved = await container.applications.save(session, actor, input.to_input())
        return EmploymentApplication.from_model(saved)

    @strawberry.mutation(
        description="Submits for pre-review (locked afterwards); due in 5 working days"
    )
    async def submit_employment_application(
        self, info: Ctx, id: strawberry.ID
    ) -> EmploymentApplication:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            submitted = await container.applications.submit(session, actor, str(id))
        return EmploymentApplication.from_model(submitted)

    @strawberry.mutation(
        description="Labour officers: pass or fail (with a reason) a submitted application"
    )
    async def pre_review_application(
        self,
        info: Ctx,
        id: strawberry.ID,
        pass_: Annotated[bool, strawberry.argument(name="pass")],
        reason: str | None = None,
    ) -> EmploymentApplication:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            decided = await container.applications.decide(session, actor, str(id), pass_, reason)
        return EmploymentApplication.from_model(decided)
