"""documents over gRPC: rendering an application's papers and reading what an upload is."""

from __future__ import annotations

import json
from typing import Any

import servicekit.rpc as rpc
from contracts.gen.documents.v1 import documents_pb2 as pb
from contracts.gen.documents.v1 import documents_pb2_grpc as pb_grpc


class Documents:
    def __init__(self, target: str, deadline_seconds: float) -> None:
        self._documents = rpc.LazyStub(target, pb_grpc.DocumentsStub)
        self._deadline = deadline_seconds

    async def render(
        self, kind: str, subject_id: str, revision: int, data: dict[str, Any], enterprise_id: str
    ) -> str:
        """The document's id (documents renders once per kind/subject/revision)."""
        reply = await rpc.call(
            self._documents.stub.Render,
            pb.RenderRequest(
                kind=kind,
                subject_id=subject_id,
                revision=revision,
                data_json=json.dumps(data, ensure_ascii=False, default=str),
                owner_enterprise_id=enterprise_id,
            ),
            timeout=self._deadline,
        )
        return str(reply.id)

    async def attachment(self, attachment_id: str) -> pb.Attachment:
        result: pb.Attachment = await rpc.call(
            self._documents.stub.GetAttachment,
            pb.GetAttachmentRequest(attachment_id=attachment_id),
            timeout=self._deadline,
        )
        return result

    async def close(self) -> None:
        await self._documents.close()
