"""Personnel subgraph. Resolvers translate and call the service layer; no rules here."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from personnel.graphql.application import EmploymentApplication
from personnel.graphql.application_operations import ApplicationMutation, ApplicationQuery
from personnel.graphql.context import PersonnelContext
from personnel.graphql.enterprise import Enterprise, Search
from personnel.graphql.foreign_person import (
    ForeignPerson,
    ForeignPersonConnection,
    ForeignPersonInput,
)
from personnel.people.schemas import PersonQuery
from servicekit.graphql import SubgraphSchema, connection_of, page_of

Ctx = Info[PersonnelContext, None]


@strawberry.type
class Query(ApplicationQuery):
    @strawberry.field(
        description="Enterprise users: their enterprise's foreign persons; officers: everyone's"
    )
    async def foreign_persons(
        self, info: Ctx, first: int | None = None, after: str | None = None, search: Search = None
    ) -> ForeignPersonConnection:
        actor = await info.context.actor()
        page = page_of(first, after)
        container = info.context.container
        async with container.db.unit_of_work() as session:
            rows, total = await container.people.search(
                session, actor, PersonQuery(search, page.offset, page.limit)
            )
        return connection_of(rows, page, total, ForeignPerson.listed)

    @strawberry.field(
        description="One foreign person in full (its enterprise's users; officers, audited)"
    )
    async def foreign_person(self, info: Ctx, id: strawberry.ID) -> ForeignPerson | None:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            found = await container.people.visible(session, actor, [str(id)])
        model = found.get(str(id))
        return None if model is None else ForeignPerson.from_model(model)


@strawberry.type
class Mutation(ApplicationMutation):
    @strawberry.mutation(
        description="Registers a foreign person (the enterprise's filing must be approved)"
    )
    async def register_foreign_person(self, info: Ctx, input: ForeignPersonInput) -> ForeignPerson:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            person = await container.people.register(session, actor, input.to_form())
        return ForeignPerson.from_model(person)

    @strawberry.mutation(description="Replaces a foreign person's record of your enterprise")
    async def update_foreign_person(
        self, info: Ctx, id: strawberry.ID, input: ForeignPersonInput
    ) -> ForeignPerson:
        actor = await info.context.actor()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            person = await container.people.update(session, actor, str(id), input.to_form())
        return ForeignPerson.from_model(person)


def build_schema(*, dev: bool = False) -> SubgraphSchema:
    """`dev` is accepted for the shared CLI; personnel has no dev-only fields."""
    return SubgraphSchema(
        query=Query, mutation=Mutation, types=[ForeignPerson, Enterprise, EmploymentApplication]
    )
