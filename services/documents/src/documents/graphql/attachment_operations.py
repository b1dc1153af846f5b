"""Upload and read attachments. Resolvers translate and call the service layer; no rules here."""

from __future__ import annotations

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload
from strawberry.types import Info

from documents.attachments.schemas import AttachmentKind, UploadedFile
from documents.graphql.attachment import Attachment
from documents.graphql.context import DocumentsContext
from servicekit.errors import ValidationFailed

Ctx = Info[DocumentsContext, None]


@strawberry.type
class AttachmentQueries:
    @strawberry.field(description="An attachment of your enterprise (officers: any attachment)")
    async def attachment(self, info: Ctx, id: strawberry.ID) -> Attachment:
        return await Attachment.load(info, str(id))


@strawberry.type
class AttachmentMutations:
    @strawberry.mutation(
        description="Uploads a PDF, JPEG or PNG (GraphQL multipart request spec) for your "
        "enterprise; checked by content, stored once per content"
    )
    async def upload_attachment(self, info: Ctx, file: Upload, kind: AttachmentKind) -> Attachment:
        actor = await info.context.actor()
        container = info.context.container
        uploaded = await _read(file, container.settings.attachment_max_bytes)
        async with container.db.unit_of_work() as session:
            model = await container.attachments.upload(session, actor, kind, uploaded)
        return Attachment.from_model(model, container.attachments.url_of(model))


async def _read(file: object, max_bytes: int) -> UploadedFile:
    """Reads at most one byte past the limit: enough to tell that a file is too large."""
    if not isinstance(file, UploadFile):
        raise ValidationFailed.single("file", "请选择要上传的文件", "Attach a file to upload")
    content = await file.read(max_bytes + 1)
    return UploadedFile(file_name=file.filename, content=content)
