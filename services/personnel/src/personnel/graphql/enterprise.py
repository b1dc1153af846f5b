from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from personnel.graphql.context import PersonnelContext
from personnel.graphql.foreign_person import ForeignPerson, ForeignPersonConnection
from personnel.people.schemas import PersonQuery
from servicekit.graphql import connection_of, page_of

Search = Annotated[
    str | None, strawberry.argument(description="Part of a name or of the document number")
]


@strawberry.federation.type(keys=["id"], description="An enterprise (owned by filing)")
class Enterprise:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Enterprise:
        return cls(id=id)

    @strawberry.field(description="The enterprise's foreign persons (its own users and officers)")
    async def foreign_persons(
        self,
        info: Info[PersonnelContext, None],
        first: int | None = None,
        after: str | None = None,
        search: Search = None,
    ) -> ForeignPersonConnection:
        actor = await info.context.actor()
        page = page_of(first, after)
        container = info.context.container
        async with container.db.unit_of_work() as session:
            rows, total = await container.people.list_of_enterprise(
                session, actor, str(self.id), PersonQuery(search, page.offset, page.limit)
            )
        return connection_of(rows, page, total, ForeignPerson.listed)
