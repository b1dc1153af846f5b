"""Test doubles of the platform's gRPC services, served by real gRPC servers on loopback ports.

`DocumentsDouble` stands in for documents in the filing, personnel and booking tests."""

from __future__ import annotations

import uuid

import grpc

from contracts.gen.documents.v1 import documents_pb2 as dpb
from contracts.gen.documents.v1 import documents_pb2_grpc as dpb_grpc


class ServedDouble:
    """A servicer double on a grpc.aio server of its own, on a free loopback port (`target`).
    Subclasses say how they are added to a server (the generated `add_*Servicer_to_server`)."""

    server: grpc.aio.Server | None = None
    port = 0

    def add_to(self, server: grpc.aio.Server) -> None:
        raise NotImplementedError

    async def start(self) -> None:
        self.server = grpc.aio.server()
        self.add_to(self.server)
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        await self.server.start()

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop(grace=None)
            self.server = None

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"


class DocumentsDouble(ServedDouble, dpb_grpc.DocumentsServicer):
    """documents' gRPC service: `Render` answers one document per kind/subject/revision (as
    documents does) and keeps every request; `GetAttachment` answers from `attachments`, which a
    test fills (`upload`) with what documents would know of an uploaded file."""

    def __init__(self) -> None:
        self.documents: dict[tuple[str, str, int], dpb.Document] = {}
        self.requests: list[dpb.RenderRequest] = []
        self.attachments: dict[str, dpb.Attachment] = {}

    def add_to(self, server: grpc.aio.Server) -> None:
        dpb_grpc.add_DocumentsServicer_to_server(self, server)

    async def Render(
        self, request: dpb.RenderRequest, context: grpc.aio.ServicerContext
    ) -> dpb.Document:
        self.requests.append(request)
        key = (request.kind, request.subject_id, request.revision)
        if key not in self.documents:
            self.documents[key] = dpb.Document(
                id=str(uuid.uuid4()), kind=request.kind, revision=request.revision
            )
        return self.documents[key]

    async def GetAttachment(
        self, request: dpb.GetAttachmentRequest, context: grpc.aio.ServicerContext
    ) -> dpb.Attachment:
        if request.attachment_id not in self.attachments:
            await context.abort(grpc.StatusCode.NOT_FOUND, "no such attachment")
        return self.attachments[request.attachment_id]

    def upload(
        self,
        kind: str,
        *,
        enterprise_id: str = "",
        account_id: str = "",
        printed: tuple[str, str, int] | None = None,
        file_name: str | None = None,
    ) -> str:
        """An uploaded file as documents records it; `printed` is the (kind, subject, revision)
        read from the QR code of a printed form. Returns its id."""
        attachment_id = str(uuid.uuid4())
        printed_kind, subject, revision = printed or ("", "", 0)
        self.attachments[attachment_id] = dpb.Attachment(
            id=attachment_id,
            kind=kind,
            file_name=file_name or f"{kind.lower()}.pdf",
            content_type="application/pdf",
            size=1024,
            sha256="0" * 64,
            owner_enterprise_id=enterprise_id,
            owner_account_id=account_id,
            printed_kind=printed_kind,
            printed_subject_id=subject,
            printed_revision=revision,
            uploaded_by=account_id,
        )
        return attachment_id

    def rendered(self, subject_id: str, kind: str | None = None) -> list[dpb.RenderRequest]:
        return [
            r
            for r in self.requests
            if r.subject_id == subject_id and (kind is None or r.kind == kind)
        ]
