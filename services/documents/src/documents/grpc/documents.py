"""documents.v1.Documents: thin servicer over the rendering, attachment and verification
service layers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

import grpc

from contracts.gen.documents.v1 import documents_pb2 as pb
from contracts.gen.documents.v1 import documents_pb2_grpc as pb_grpc
from documents.attachments.service import Attachments
from documents.rendering.service import Renderer, RenderRequest
from documents.verification.schemas import Client
from documents.verification.service import Verifications
from servicekit.db import Database
from servicekit.errors import ValidationFailed

MAX_FIELD_ERRORS = 50  # the details travel in a header


def _client(context: grpc.aio.ServicerContext) -> Client:
    peer = context.peer() or ""  # "ipv4:127.0.0.1:50123", "ipv6:[::1]:50123", "unix:…"
    kind, _, address = peer.partition(":")
    if kind in ("ipv4", "ipv6"):
        address = address.rsplit(":", 1)[0].strip("[]")
    metadata = dict(context.invocation_metadata() or ())
    agent = metadata.get("user-agent")
    return Client(ip=address or None, user_agent=str(agent) if agent else "grpc")


class DocumentsServicer(pb_grpc.DocumentsServicer):
    def __init__(
        self,
        db: Database,
        verifications: Verifications,
        *,
        attachments: Attachments,
        renderer: Renderer,
    ) -> None:
        self.db = db
        self.verifications = verifications
        self.attachments = attachments
        self.renderer = renderer

    async def VerifyToken(
        self, request: pb.VerifyTokenRequest, context: grpc.aio.ServicerContext
    ) -> pb.Verification:
        async with self.db.unit_of_work() as session:
            result = await self.verifications.verify(session, request.token, _client(context))
        return pb.Verification(
            genuine=result.genuine,
            kind=result.kind or "",
            subject_id=result.subject_id or "",
            revision=result.revision or 0,
            current=result.current,
            issued_at=result.issued_at.isoformat() if result.issued_at else "",
        )

    async def Render(
        self, request: pb.RenderRequest, context: grpc.aio.ServicerContext
    ) -> pb.Document:
        """The stored document of kind/subject/revision, rendered on the first call. Bad data
        is INVALID_ARGUMENT with every field error in the details (JSON: code, message, fields
        of path and message), which servicekit's interceptor would reduce to one message."""
        render = RenderRequest(
            kind=request.kind,
            subject_id=request.subject_id,
            revision=request.revision,
            data_json=request.data_json,
            owner_enterprise_id=request.owner_enterprise_id or None,
            owner_account_id=request.owner_account_id or None,
        )
        try:
            stored = await self.renderer.render(render)
        except ValidationFailed as exc:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, _validation_details(exc))
            raise AssertionError("abort raises") from exc
        document = stored.document
        return pb.Document(
            id=str(document.id),
            kind=document.kind,
            title=document.title,
            sha256=document.sha256,
            revision=document.revision,
            created_at=document.created_at.isoformat(),
        )

    async def GetAttachment(
        self, request: pb.GetAttachmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.Attachment:
        """Metadata, owner, uploader and printed form of an attachment (NOT_FOUND for an
        unknown id). Callers are services, which apply their own rules (e.g. filing: only its
        enterprise's files, or its liaison's own before they are a member; a printed form only
        when its QR code names the current revision)."""
        async with self.db.unit_of_work() as session:
            attachment = await self.attachments.for_service(session, request.attachment_id)
        return pb.Attachment(
            id=str(attachment.id),
            kind=attachment.kind,
            file_name=attachment.file_name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            owner_enterprise_id=attachment.owner_enterprise_id or "",
            printed_kind=attachment.printed_kind or "",
            printed_subject_id=attachment.printed_subject_id or "",
            printed_revision=attachment.printed_revision or 0,
            uploaded_by=attachment.uploaded_by,
            owner_account_id=attachment.owner_account_id or "",
        )


def _validation_details(error: ValidationFailed) -> str:
    fields = [
        {"path": field.path, "message": field.message.en, "messageZh": field.message.zh}
        for field in error.fields[:MAX_FIELD_ERRORS]
    ]
    return json.dumps(
        {"code": error.code.value, "message": error.message.en, "fields": fields},
        ensure_ascii=False,
    )


def register(
    db: Database, verifications: Verifications, *, attachments: Attachments, renderer: Renderer
) -> Callable[[grpc.aio.Server], Iterable[str]]:
    def add(server: grpc.aio.Server) -> Iterable[str]:
        servicer = DocumentsServicer(db, verifications, attachments=attachments, renderer=renderer)
        pb_grpc.add_DocumentsServicer_to_server(servicer, server)
        return [pb.DESCRIPTOR.services_by_name["Documents"].full_name]

    return add
