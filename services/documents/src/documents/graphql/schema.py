"""Documents subgraph. Resolvers translate and call the service layer; no rules here."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from documents.graphql.attachment import Attachment
from documents.graphql.attachment_operations import AttachmentMutations, AttachmentQueries
from documents.graphql.context import DocumentsContext
from documents.graphql.types import Document, DocumentVerification
from servicekit.graphql import SubgraphSchema

Ctx = Info[DocumentsContext, None]


@strawberry.type
class Query(AttachmentQueries):
    @strawberry.field(description="Public, no sign-in: checks the token of a document's QR code")
    async def verify_document(self, info: Ctx, token: str) -> DocumentVerification:
        container = info.context.container
        async with container.db.unit_of_work() as session:
            result = await container.verifications.verify(session, token, info.context.client)
        return DocumentVerification.from_result(result)

    @strawberry.field(description="A document of your enterprise (officers: any document)")
    async def document(self, info: Ctx, id: strawberry.ID) -> Document:
        return await Document.load(info, str(id))


@strawberry.type
class Mutation(AttachmentMutations):
    pass


def build_schema(*, dev: bool) -> SubgraphSchema:
    """`dev` is part of every service's schema factory; documents has no dev-only fields."""
    return SubgraphSchema(query=Query, mutation=Mutation, types=[Document, Attachment])
