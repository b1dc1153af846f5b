"""Attachments: who may upload (enterprise users, officers), what is accepted (checked by
content, scanned; a printed form of a superseded revision is refused), how it is stored
(content-addressed, once per content), and who may read it (users of the owner enterprise, the
owner account of an upload made before its uploader acted for an enterprise, and officers)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from documents.attachments import checks, events, printed, repository
from documents.attachments.links import DownloadLinks
from documents.attachments.models import Attachment
from documents.attachments.scanning import Scanner
from documents.attachments.schemas import (
    PRINTED_FORM_KINDS,
    AttachmentKind,
    FileLimits,
    FileType,
    Owner,
    UploadedFile,
)
from documents.errors import (
    AttachmentForbidden,
    AttachmentNotFound,
    DownloadLinkInvalid,
    PrintedFormSuperseded,
)
from documents.storage import Storage
from documents.verification.schemas import Client, Verification
from documents.verification.service import Verifications
from servicekit.auth import Actor, Role
from servicekit.db import utcnow
from servicekit.errors import Forbidden, ValidationFailed
from servicekit.filing_client import FilingEnterprises
from servicekit.outbox import Outbox

log = logging.getLogger(__name__)

# How a QR code read from an upload appears in the verification log.
UPLOAD_CLIENT = Client(user_agent="documents: uploaded printed form")


@dataclass
class Attachments:
    storage: Storage
    enterprises: FilingEnterprises
    outbox: Outbox
    scanner: Scanner
    links: DownloadLinks
    limits: FileLimits
    verifications: Verifications

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
        form = await self._printed_form(session, actor, kind, file_type, file.content)
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
            owner_enterprise_id=owner.enterprise_id,
            owner_account_id=owner.account_id,
            uploaded_by=actor.account_id,
            printed_kind=form.kind if form else None,
            printed_subject_id=form.subject_id if form else None,
            printed_revision=form.revision if form else None,
            created_at=utcnow(),
        )
        await repository.add(session, attachment)
        await self.outbox.record(
            session, events.STORED, str(attachment.id), events.attachment_data(attachment)
        )
        return attachment

    async def _owner_for_upload(self, actor: Actor) -> Owner:
        """The uploader's enterprise; the uploader's account when it acts for none yet (a new
        liaison taking over a filed enterprise uploads its forms before filing makes it a
        member); nobody for an officer's upload."""
        if actor.is_officer:
            return Owner()
        if not actor.has_any([Role.ENTERPRISE_USER]):
            raise Forbidden()
        enterprise = await self.enterprises.of_account(actor.account_id)
        if enterprise is None:
            return Owner(account_id=actor.account_id)
        return Owner(enterprise_id=str(enterprise.id))

    async def _printed_form(
        self,
        session: AsyncSession,
        actor: Actor,
        kind: AttachmentKind,
        file_type: FileType,
        content: bytes,
    ) -> Verification | None:
        """What the QR code of a printed form says, when one verifies as genuine. A genuine
        code of a superseded revision is refused: the signed paper is not the latest form.
        Anything else (no code, unreadable, forged) is accepted with None: filing decides
        whether it can use such a form."""
        if kind not in PRINTED_FORM_KINDS:
            return None
        tokens = await asyncio.to_thread(printed.tokens_in, content, file_type)
        for token in tokens:
            result = await self.verifications.verify(session, token, UPLOAD_CLIENT)
            if not result.genuine:
                continue
            if not result.current:
                log.info(
                    "upload of a %s by %s refused: printed from %s of %s revision %s, latest %s",
                    kind,
                    actor.account_id,
                    result.kind,
                    result.subject_id,
                    result.revision,
                    result.latest_revision,
                )
                raise PrintedFormSuperseded(result.revision or 0, result.latest_revision or 0)
            return result
        log.info(
            "upload of a %s by %s: no genuine QR code (%d read); stored without a printed form",
            kind,
            actor.account_id,
            len(tokens),
        )
        return None

    async def readable(
        self, session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, Attachment | AttachmentForbidden]:
        """Each of `ids` that exists: the attachment, or the refusal when `actor` may not read
        it. Unknown ids are absent. At most one enterprise lookup for the whole batch, and none
        when the actor's own account owns them all."""
        found = await repository.get_many(session, ids)
        if actor.is_officer:
            return {attachment.id: attachment for attachment in found}
        enterprise_id: str | None = None
        needs_enterprise = any(
            attachment.owner_account_id != actor.account_id and attachment.owner_enterprise_id
            for attachment in found
        )
        if needs_enterprise and actor.has_any([Role.ENTERPRISE_USER]):
            enterprise = await self.enterprises.of_account(actor.account_id)
            enterprise_id = str(enterprise.id) if enterprise else None
        return {
            attachment.id: attachment
            if attachment.owner_account_id == actor.account_id
            or (enterprise_id is not None and attachment.owner_enterprise_id == enterprise_id)
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
