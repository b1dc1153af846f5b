from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from documents.attachments.models import Attachment as AttachmentModel
from documents.attachments.schemas import AttachmentKind
from documents.graphql.context import DocumentsContext

strawberry.enum(AttachmentKind)  # registers the domain enum under its own name


@strawberry.federation.type(keys=["id"], description="An uploaded file")
class Attachment:
    id: strawberry.ID
    kind: AttachmentKind
    file_name: str = strawberry.field(description="Sanitised file name")
    content_type: str = strawberry.field(description="Detected from the content")
    size: int = strawberry.field(description="Bytes")
    sha256: str
    url: str = strawberry.field(
        description="Signed download link that expires (no Authorization header needed)"
    )
    created_at: datetime

    @classmethod
    def from_model(cls, model: AttachmentModel, url: str) -> Attachment:
        return cls(
            id=strawberry.ID(str(model.id)),
            kind=AttachmentKind(model.kind),
            file_name=model.file_name,
            content_type=model.content_type,
            size=model.size,
            sha256=model.sha256,
            url=url,
            created_at=model.created_at,
        )

    @classmethod
    async def load(cls, info: Info[DocumentsContext, None], id: str) -> Attachment:
        """NOT_FOUND for an unknown id, FORBIDDEN for one the actor may not read."""
        await info.context.actor()
        model = await info.context.attachments.load(id)
        return cls.from_model(model, info.context.container.attachments.url_of(model))

    @classmethod
    async def resolve_reference(
        cls, info: Info[DocumentsContext, None], id: strawberry.ID
    ) -> Attachment:
        return await cls.load(info, str(id))
