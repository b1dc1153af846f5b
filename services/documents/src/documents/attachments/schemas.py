from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AttachmentKind(StrEnum):
    """What an uploaded file is for (the same values as filing's attachment slots)."""

    APPLICATION_FORM = "APPLICATION_FORM"
    COMMITMENT_LETTER = "COMMITMENT_LETTER"
    BUSINESS_LICENCE = "BUSINESS_LICENCE"
    LIAISON_ID_CARD = "LIAISON_ID_CARD"
    SOCIAL_SECURITY_PROOF = "SOCIAL_SECURITY_PROOF"
    CHANGE_FORM = "CHANGE_FORM"
    SUPPLEMENTARY = "SUPPLEMENTARY"
    # An employment application form stamped by the exit-entry bureau (市公安出入境管理部门意见).
    EXIT_ENTRY_OPINION = "EXIT_ENTRY_OPINION"


# Forms this system generates with a QR code, that are printed, signed or sealed and uploaded
# again: their code says which revision was signed.
PRINTED_FORM_KINDS = frozenset(
    {
        AttachmentKind.APPLICATION_FORM,
        AttachmentKind.COMMITMENT_LETTER,
        AttachmentKind.CHANGE_FORM,
        AttachmentKind.EXIT_ENTRY_OPINION,
    }
)


@dataclass(frozen=True)
class Owner:
    """Who may read an upload besides officers: users of the enterprise, or the account alone
    when the uploader acts for no enterprise yet; neither for an officer's upload."""

    enterprise_id: str | None = None
    account_id: str | None = None


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]  # the first one is added to a name that has none of them


PDF = FileType("application/pdf", (".pdf",))
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("image/png", (".png",))


@dataclass(frozen=True)
class UploadedFile:
    """What the client sent: a name (may be anything) and the bytes (read up to one byte past
    the size limit, so that an oversize file is recognised without reading all of it)."""

    file_name: str | None
    content: bytes


@dataclass(frozen=True)
class FileLimits:
    max_bytes: int
    max_image_side: int
    max_image_pixels: int
    max_file_name_length: int
