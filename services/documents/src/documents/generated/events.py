"""Events about generated documents (topic `documents.document.v1`, key = document id)."""

from __future__ import annotations

from typing import Any

from documents.generated.models import Document

GENERATED = "documents.document.generated"


def document_data(document: Document) -> dict[str, Any]:
    return {
        "documentId": str(document.id),
        "kind": document.kind,
        "subjectId": document.subject_id,
        "revision": document.revision,
        "title": document.title,
        "sha256": document.sha256,
        "ownerEnterpriseId": document.owner_enterprise_id,
        "createdAt": document.created_at.isoformat(),
    }
