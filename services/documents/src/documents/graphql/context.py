from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from documents.attachments.models import Attachment
from documents.attachments.service import parse_id
from documents.errors import AttachmentNotFound
from documents.generated.models import Document
from documents.verification.schemas import Client
from documents.web.clients import client_of
from servicekit.graphql import ServiceContext

if TYPE_CHECKING:
    from documents.inject import Container


class DocumentsContext(ServiceContext):
    def __init__(self, container: Container) -> None:
        super().__init__(container.verifier)
        self.container = container
        # The documents the signed-in actor may read, batched per request (one enterprise
        # lookup for every document of a federated list).
        self.documents: DataLoader[str, Document | None] = DataLoader(load_fn=self._load_documents)
        # The attachments of a request, batched likewise; loading one the actor may not read
        # raises FORBIDDEN, an unknown one NOT_FOUND.
        self.attachments: DataLoader[str, Attachment] = DataLoader(load_fn=self._load_attachments)

    async def _load_documents(self, keys: list[str]) -> list[Document | None]:
        actor = await self.actor()
        ids: dict[str, uuid.UUID] = {}
        for key in keys:
            try:
                ids[key] = uuid.UUID(key)
            except ValueError:
                continue
        async with self.container.db.unit_of_work() as session:
            found = await self.container.documents.readable(session, actor, list(ids.values()))
        return [found.get(ids[key]) if key in ids else None for key in keys]

    async def _load_attachments(self, keys: list[str]) -> list[Attachment | BaseException]:
        actor = await self.actor()
        ids: dict[str, uuid.UUID] = {}
        for key in keys:
            try:
                ids[key] = parse_id(key)
            except AttachmentNotFound:
                continue
        async with self.container.db.unit_of_work() as session:
            found = await self.container.attachments.readable(session, actor, list(ids.values()))
        return [
            found.get(ids[key], AttachmentNotFound()) if key in ids else AttachmentNotFound()
            for key in keys
        ]

    @property
    def client(self) -> Client:
        return client_of(self.request)
