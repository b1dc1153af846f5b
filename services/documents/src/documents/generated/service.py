"""Generated documents: storing rendered files with their verification token, and who may read
them (officers; users of the owner enterprise; the owner account, such as a liaison who is not
yet a member of the enterprise it files for; any signed-in account for a document that has no
owner, such as the question bank study document)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from documents.errors import DocumentNotFound, RevisionAlreadyStored
from documents.generated import events, repository
from documents.generated.models import Document
from documents.generated.schemas import PlannedDocument, StoredDocument
from documents.storage import Storage
from documents.verification.service import Verifications
from servicekit.auth import Actor, Role
from servicekit.db import utcnow
from servicekit.errors import FieldErrors
from servicekit.filing_client import FilingEnterprises
from servicekit.outbox import Outbox

PDF_MAGIC = b"%PDF-"


@dataclass
class GeneratedDocuments:
    storage: Storage
    verifications: Verifications
    enterprises: FilingEnterprises
    outbox: Outbox
    public_url: str

    def url_of(self, document: Document) -> str:
        return f"{self.public_url.rstrip('/')}/documents/{document.id}"

    def verification_url(self, token: str) -> str:
        return f"{self.public_url.rstrip('/')}/verify/{token}"

    def plan(self, kind: str, subject_id: str, revision: int, content: bytes) -> PlannedDocument:
        """Id and token of a document before it is rendered. `content` is the canonical form of
        what the document prints (the token certifies its sha256)."""
        draft = _Draft(
            id=uuid.uuid4(),
            kind=kind,
            subject_id=subject_id,
            revision=revision,
            content_sha256=hashlib.sha256(content).hexdigest(),
            created_at=utcnow().replace(microsecond=0),
        )
        token = self.verifications.issue_token(draft)
        return PlannedDocument(
            id=draft.id,
            kind=kind,
            subject_id=subject_id,
            revision=revision,
            content_sha256=draft.content_sha256,
            created_at=draft.created_at,
            token=token,
            verification_url=self.verification_url(token),
        )

    async def stored_revision(
        self, session: AsyncSession, kind: str, subject_id: str, revision: int
    ) -> StoredDocument | None:
        document = await repository.revision_of(session, kind, subject_id, revision)
        return None if document is None else self._stored(document)

    async def store_generated(
        self,
        session: AsyncSession,
        kind: str,
        subject_id: str,
        revision: int,
        title: str,
        pdf_bytes: bytes,
        owner_enterprise_id: str | None,
        *,
        owner_account_id: str | None = None,
        planned: PlannedDocument | None = None,
    ) -> StoredDocument:
        """Stores a rendered PDF content-addressed and records it as `revision` of
        (kind, subject). Storing the same bytes again returns the stored document; other bytes
        for a revision that exists are a conflict. Without a plan the token certifies the file."""
        _check_input(kind, subject_id, revision, title, pdf_bytes)
        if planned is not None and (planned.kind, planned.subject_id, planned.revision) != (
            kind,
            subject_id,
            revision,
        ):
            raise ValueError("the plan is for another document")
        sha256 = hashlib.sha256(pdf_bytes).hexdigest()
        existing = await repository.revision_of(session, kind, subject_id, revision)
        if existing is not None:
            if existing.sha256 != sha256:
                raise RevisionAlreadyStored()
            return self._stored(existing)
        stored = await self.storage.put(pdf_bytes)
        document = Document(
            id=planned.id if planned else uuid.uuid4(),
            kind=kind,
            subject_id=subject_id,
            revision=revision,
            title=title.strip(),
            sha256=stored.sha256,
            content_sha256=planned.content_sha256 if planned else stored.sha256,
            storage_key=stored.key,
            owner_enterprise_id=owner_enterprise_id or None,
            owner_account_id=owner_account_id or None,
            created_at=planned.created_at if planned else utcnow().replace(microsecond=0),
        )
        try:
            await repository.add(session, document)
        except IntegrityError as exc:  # the same revision stored concurrently
            raise RevisionAlreadyStored() from exc
        await self.outbox.record(
            session, events.GENERATED, str(document.id), events.document_data(document)
        )
        return self._stored(document)

    async def readable(
        self, session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, Document]:
        """The documents of `ids` that exist and `actor` may read (at most one enterprise
        lookup, none when no document needs it)."""
        found = await repository.get_many(session, ids)
        enterprise_id: str | None = None
        needs_enterprise = any(
            document.owner_enterprise_id and document.owner_account_id != actor.account_id
            for document in found
        )
        if needs_enterprise and not actor.is_officer and actor.has_any([Role.ENTERPRISE_USER]):
            enterprise = await self.enterprises.of_account(actor.account_id)
            enterprise_id = str(enterprise.id) if enterprise else None
        return {
            document.id: document
            for document in found
            if actor.is_officer
            or (document.owner_enterprise_id is None and document.owner_account_id is None)
            or document.owner_account_id == actor.account_id
            or (enterprise_id is not None and document.owner_enterprise_id == enterprise_id)
        }

    async def get(self, session: AsyncSession, actor: Actor, document_id: str) -> Document:
        """NOT_FOUND for a document that does not exist and for one the actor may not read."""
        try:
            key = uuid.UUID(document_id)
        except ValueError as exc:
            raise DocumentNotFound() from exc
        document = (await self.readable(session, actor, [key])).get(key)
        if document is None:
            raise DocumentNotFound()
        return document

    async def download(
        self, session: AsyncSession, actor: Actor, document_id: str
    ) -> tuple[Document, bytes]:
        document = await self.get(session, actor, document_id)
        return document, await self.storage.get(document.storage_key)

    def _stored(self, document: Document) -> StoredDocument:
        token = self.verifications.issue_token(document)
        return StoredDocument(
            document=document, token=token, verification_url=self.verification_url(token)
        )


@dataclass(frozen=True)
class _Draft:
    id: uuid.UUID
    kind: str
    subject_id: str
    revision: int
    content_sha256: str
    created_at: datetime


def _check_input(kind: str, subject_id: str, revision: int, title: str, pdf_bytes: bytes) -> None:
    errors = FieldErrors()
    if not kind or len(kind) > 64:
        errors.add(
            "kind", "文件类型不能为空（不超过64字符）", "kind is required (at most 64 characters)"
        )
    if not subject_id or len(subject_id) > 64:
        errors.add(
            "subjectId",
            "文件对象不能为空（不超过64字符）",
            "subject id is required (at most 64 characters)",
        )
    if not 1 <= revision <= 2**31 - 1:
        errors.add("revision", "版本号须为正整数", "revision must be a positive integer")
    if not title.strip() or len(title.strip()) > 200:
        errors.add(
            "title", "标题不能为空（不超过200字）", "title is required (at most 200 characters)"
        )
    if not pdf_bytes.startswith(PDF_MAGIC):
        errors.add("file", "文件不是PDF", "the file is not a PDF")
    errors.raise_if_any()
