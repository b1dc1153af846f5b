"""documents.v1.Documents: thin servicer over the verification service layer.

`Render` and `GetAttachment` belong to later issues (PDF templates, attachment uploads) and
answer UNIMPLEMENTED until then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import grpc

from contracts.gen.documents.v1 import documents_pb2 as pb
from contracts.gen.documents.v1 import documents_pb2_grpc as pb_grpc
from documents.verification.schemas import Client
from documents.verification.service import Verifications
from servicekit.db import Database


def _client(context: grpc.aio.ServicerContext) -> Client:
    peer = context.peer() or ""  # "ipv4:127.0.0.1:50123", "ipv6:[::1]:50123", "unix:…"
    kind, _, address = peer.partition(":")
    if kind in ("ipv4", "ipv6"):
        address = address.rsplit(":", 1)[0].strip("[]")
    metadata = dict(context.invocation_metadata() or ())
    agent = metadata.get("user-agent")
    return Client(ip=address or None, user_agent=str(agent) if agent else "grpc")


class DocumentsServicer(pb_grpc.DocumentsServicer):
    def __init__(self, db: Database, verifications: Verifications) -> None:
        self.db = db
        self.verifications = verifications

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
        await context.abort(
            grpc.StatusCode.UNIMPLEMENTED,
            "Render is not available yet: document templates are not built",
        )
        raise AssertionError("abort raises")

    async def GetAttachment(
        self, request: pb.GetAttachmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.Attachment:
        await context.abort(
            grpc.StatusCode.UNIMPLEMENTED,
            "GetAttachment is not available yet: attachment uploads are not built",
        )
        raise AssertionError("abort raises")


def register(
    db: Database, verifications: Verifications
) -> Callable[[grpc.aio.Server], Iterable[str]]:
    def add(server: grpc.aio.Server) -> Iterable[str]:
        pb_grpc.add_DocumentsServicer_to_server(DocumentsServicer(db, verifications), server)
        return [pb.DESCRIPTOR.services_by_name["Documents"].full_name]

    return add
