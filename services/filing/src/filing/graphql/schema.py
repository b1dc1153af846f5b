"""Filing subgraph. Resolvers translate and call the service layer; no rules here."""

from __future__ import annotations

import strawberry

from filing.graphql.inputs import FilingInput
from filing.graphql.types import Account, Ctx, Enterprise, Filing
from servicekit.graphql import SubgraphSchema


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


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Creates or updates the DRAFT/REJECTED filing record")
    async def save_filing(self, info: Ctx, input: FilingInput) -> Filing:
        actor = await info.context.actor()
        form = input.to_form()
        container = info.context.container
        async with container.db.unit_of_work() as session:
            record = await container.enterprises.save_filing(session, actor, form)
        return Filing.from_model(record)


def build_schema(*, dev: bool) -> SubgraphSchema:
    return SubgraphSchema(query=Query, mutation=Mutation, types=[Account, Enterprise, Filing])
