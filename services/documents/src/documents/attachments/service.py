"""Attachments: who may upload (users of an enterprise, officers), what is accepted (checked
by content, scanned), how it is stored (content-addressed, once per content), and who may read
it (users of the owner enterprise, and officers)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from documents.attachments import checks, events, repository
from documents.attachments.links import DownloadLinks
from documents.attachments.models import Attachment
from documents.attachments.scanning import Scanner
from documents.attachments.schemas import AttachmentKind, FileLimits, UploadedFile
from documents.errors import (
    AttachmentForbidden,
    AttachmentNotFound,
    DownloadLinkInvalid,
    NoEnterpriseToUploadFor,
)
from documents.storage import Storage
from servicekit.auth import Actor, Role
from servicekit.db import utcnow
from servicekit.errors import Forbidden, ValidationFailed
from servicekit.filing_client import FilingEnterprises
from servicekit.outbox import Outbox

log = logging.getLogger(__name__)


@dataclass
class Attachments:
    storage: Storage
    enterprises: FilingEnterprises
    outbox: Outbox
    scanner: Scanner
    links: DownloadLinks
    limits: FileLimits

    async def upload(
        self, session: AsyncSession, actor: Actor, kind: AttachmentKind, file: UploadedFile
    ) -> Attachment:
        owner = await self._owner_for_upload(actor)
        checks.check_size(file.content, self.limits)  # cheap, before any parsing
        file_type = await asyncio.to_thread(checks.check_content, file.content, self.limits)
        result = await self.scanner.scan(file.content)
        if not result.is_clean:
            log.warning(
                "upload by %s refused by the virus scanner: %s", actor.account_id, result.threat
            )
            raise ValidationFailed.single(
                checks.FIELD,
                "文件未通过安全检查（疑似病毒），未保存",
                "The file failed the virus scan and was not stored",
            )
        stored = await self.storage.put(file.content)
        attachment = Attachment(
            id=uuid.uuid4(),
            kind=kind.value,
            file_name=checks.sanitise_file_name(
                file.file_name, file_type, self.limits.max_file_name_length
            ),
            content_type=file_type.content_type,
            size=stored.size,
            sha256=stored.sha256,
            storage_key=stored.key,
            owner_enterprise_id=owner,
            uploaded_by=actor.account_id,
            created_at=utcnow(),
        )
        await repository.add(session, attachment)
        await self.outbox.record(
            session, events.STORED, str(attachment.id), events.attachment_data(attachment)
        )
        return attachment

    async def _owner_for_upload(self, actor: Actor) -> str | None:
        """The enterprise an upload belongs to: the uploader's (None for an officer's upload)."""
        if actor.is_officer:
            return None
        if not actor.has_any([Role.ENTERPRISE_USER]):
            raise Forbidden()
        enterprise = await self.enterprises.of_account(actor.account_id)
        if enterprise is None:
            raise NoEnterpriseToUploadFor()
        return str(enterprise.id)

    async def readable(
        self, session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, Attachment | AttachmentForbidden]:
        """Each of `ids` that exists: the attachment, or the refusal when `actor` may not read
        it. Unknown ids are absent. At most one enterprise lookup for the whole batch."""
        found = await repository.get_many(session, ids)
        if actor.is_officer:
            return {attachment.id: attachment for attachment in found}
        enterprise_id: str | None = None
        if found and actor.has_any([Role.ENTERPRISE_USER]):
            enterprise = await self.enterprises.of_account(actor.account_id)
            enterprise_id = str(enterprise.id) if enterprise else None
        return {
            attachment.id: attachment
            if enterprise_id is not None and attachment.owner_enterprise_id == enterprise_id
            else AttachmentForbidden()
            for attachment in found
        }

    async def get(self, session: AsyncSession, actor: Actor, attachment_id: str) -> Attachment:
        """NOT_FOUND for an unknown id, FORBIDDEN for another enterprise's attachment."""
        key = parse_id(attachment_id)
        result = (await self.readable(session, actor, [key])).get(key)
        if result is None:
            raise AttachmentNotFound()
        if isinstance(result, AttachmentForbidden):
            raise result
        return result

    async def for_service(self, session: AsyncSession, attachment_id: str) -> Attachment:
        """For other services (gRPC) and signed links, which carry their own authority."""
        attachment = await repository.get(session, parse_id(attachment_id))
        if attachment is None:
            raise AttachmentNotFound()
        return attachment

    def url_of(self, attachment: Attachment) -> str:
        return self.links.url_for(str(attachment.id))

    async def open_signed(
        self,
        session: AsyncSession,
        attachment_id: str,
        expires: str | None,
        signature: str | None,
    ) -> tuple[Attachment, AsyncIterator[bytes]]:
        """The attachment and its bytes for a signed link; FORBIDDEN when the link is expired
        or was not issued here, NOT_FOUND when the attachment is gone."""
        if not self.links.is_valid(attachment_id, expires, signature):
            raise DownloadLinkInvalid()
        attachment = await self.for_service(session, attachment_id)
        try:
            chunks = await self.storage.open(attachment.storage_key)
        except FileNotFoundError as exc:
            log.error("attachment %s: stored file %s is missing", attachment.id, exc)
            raise AttachmentNotFound() from exc
        return attachment, chunks


def parse_id(attachment_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(attachment_id)
    except ValueError as exc:
        raise AttachmentNotFound() from exc
