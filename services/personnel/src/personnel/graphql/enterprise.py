from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from personnel.graphql.context import PersonnelContext, PersonsOf
from personnel.graphql.foreign_person import ForeignPerson, ForeignPersonConnection
from personnel.people.schemas import PersonQuery
from servicekit.errors import ValidationFailed
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
        try:
            page = page_of(first, after)
        except ValidationFailed:
            await info.context.actor()  # who is not signed in is told so first, as before
            raise
        key = PersonsOf(str(self.id), PersonQuery(search, page.offset, page.limit))
        rows, total = await info.context.enterprise_persons.load(key)
        return connection_of(rows, page, total, ForeignPerson.listed)
