"""Events about attachments (topic `documents.attachment.v1`, key = attachment id).

The file name is left out on purpose: it may carry personal data (a person's name)."""

from __future__ import annotations

from typing import Any

from documents.attachments.models import Attachment

STORED = "documents.attachment.stored"


def attachment_data(attachment: Attachment) -> dict[str, Any]:
    return {
        "attachmentId": str(attachment.id),
        "kind": attachment.kind,
        "sha256": attachment.sha256,
        "size": attachment.size,
        "contentType": attachment.content_type,
        "ownerEnterpriseId": attachment.owner_enterprise_id,
        "storedAt": attachment.created_at.isoformat(),
    }
