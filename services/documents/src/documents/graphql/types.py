from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from documents.errors import DocumentNotFound
from documents.generated.models import Document as DocumentModel
from documents.graphql.context import DocumentsContext
from documents.verification.schemas import Verification


@strawberry.federation.type(keys=["id"], description="A generated (printable) document")
class Document:
    id: strawberry.ID
    kind: str
    title: str
    url: str = strawberry.field(
        description="Download URL; send the same Authorization header (owner or officer)"
    )
    sha256: str = strawberry.field(description="sha256 of the file")
    revision: int
    created_at: datetime

    @classmethod
    def from_model(cls, model: DocumentModel, url: str) -> Document:
        return cls(
            id=strawberry.ID(str(model.id)),
            kind=model.kind,
            title=model.title,
            url=url,
            sha256=model.sha256,
            revision=model.revision,
            created_at=model.created_at,
        )

    @classmethod
    async def load(cls, info: Info[DocumentsContext, None], id: str) -> Document:
        await info.context.actor()
        model = await info.context.documents.load(id)
        if model is None:
            raise DocumentNotFound()
        return cls.from_model(model, info.context.container.documents.url_of(model))

    @classmethod
    async def resolve_reference(
        cls, info: Info[DocumentsContext, None], id: strawberry.ID
    ) -> Document:
        return await cls.load(info, str(id))


@strawberry.type(description="What a document's QR code token says, checked by this system")
class DocumentVerification:
    genuine: bool = strawberry.field(description="Issued by this system and unaltered")
    kind: str | None
    subject_id: strawberry.ID | None
    revision: int | None
    current: bool = strawberry.field(
        description="Genuine and no newer revision exists for the same kind and subject"
    )
    issued_at: datetime | None

    @classmethod
    def from_result(cls, result: Verification) -> DocumentVerification:
        return cls(
            genuine=result.genuine,
            kind=result.kind,
            subject_id=strawberry.ID(result.subject_id) if result.subject_id else None,
            revision=result.revision,
            current=result.current,
            issued_at=result.issued_at,
        )
