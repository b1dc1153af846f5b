"""What an uploaded file must be, judged by its bytes and never by its name or the type the
client claims: a PDF that parses, or a JPEG/PNG of bounded dimensions that decodes, within the
size limit. Also: the file name as it is kept (no path, no control characters, bounded length).

Pure functions (CPU only, no I/O); the service runs `check_content` in a worker thread."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import warnings

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from documents.attachments.schemas import JPEG, PDF, PNG, FileLimits, FileType
from servicekit.errors import ValidationFailed

FIELD = "file"
_MAGIC: list[tuple[bytes, FileType]] = [
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
]
_PIL_FORMAT = {JPEG: "JPEG", PNG: "PNG"}
# The last line of a complete PDF is `%%EOF` (a little trailing junk is tolerated).
_PDF_TAIL_BYTES = 1024

logging.getLogger("pypdf").setLevel(logging.ERROR)  # it logs every repair it attempts


def _refuse(zh: str, en: str) -> ValidationFailed:
    return ValidationFailed.single(FIELD, zh, en)


def detect_type(content: bytes) -> FileType | None:
    for magic, file_type in _MAGIC:
        if content.startswith(magic):
            return file_type
    return None


def check_size(content: bytes, limits: FileLimits) -> None:
    if not content:
        raise _refuse("文件为空", "The file is empty")
    if len(content) > limits.max_bytes:
        mib = limits.max_bytes / (1024 * 1024)
        raise _refuse(
            f"文件过大，不能超过 {mib:g} MB", f"The file is too large (at most {mib:g} MiB)"
        )


def check_content(content: bytes, limits: FileLimits) -> FileType:
    """The file's type, or VALIDATION_FAILED on `file` saying what is wrong with it."""
    check_size(content, limits)
    file_type = detect_type(content)
    if file_type is None:
        raise _refuse(
            "仅支持 PDF、JPG、PNG 格式的文件", "Only PDF, JPEG and PNG files are accepted"
        )
    if file_type is PDF:
        _check_pdf(content)
    else:
        _check_image(content, file_type, limits)
    return file_type


def _check_pdf(content: bytes) -> None:
    broken = _refuse(
        "PDF 文件已损坏或不完整，请重新导出后上传",
        "The PDF is damaged or incomplete; export it again and upload it",
    )
    if b"%%EOF" not in content[-_PDF_TAIL_BYTES:]:
        raise broken  # truncated: a complete PDF ends with %%EOF
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse(
                "PDF 文件设有打开密码，请取消密码后上传",
                "The PDF is password-protected; remove the password and upload it",
            )
        if len(reader.pages) < 1:
            raise broken
        _ = reader.pages[0].mediabox  # reading the first page proves the page tree
    except ValidationFailed:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise broken from exc


def _check_image(content: bytes, file_type: FileType, limits: FileLimits) -> None:
    broken = _refuse(
        "图片文件已损坏或不完整，请重新上传", "The image is damaged or incomplete; upload it again"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(content), formats=[_PIL_FORMAT[file_type]]) as image:
                width, height = image.size  # from the header: nothing is decoded yet
                if (
                    max(width, height) > limits.max_image_side
                    or width * height > limits.max_image_pixels
                ):
                    raise _image_too_large(width, height, limits)
                image.load()  # decodes: a truncated or corrupt image fails here
        except ValidationFailed:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _image_too_large(0, 0, limits) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise broken from exc


def _image_too_large(width: int, height: int, limits: FileLimits) -> ValidationFailed:
    side = limits.max_image_side
    size = f"{width}×{height}" if width and height else ""
    return _refuse(
        f"图片尺寸过大{f'（{size}）' if size else ''}，长边不能超过 {side} 像素",
        f"The image is too large{f' ({size})' if size else ''}; "
        f"at most {side} pixels on a side and {limits.max_image_pixels:,} pixels in all",
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Browsers send `"`, CR and LF of a file name as %22, %0D, %0A (HTML multipart encoding).
_BROWSER_ESCAPES = re.compile(r"%(22|0d|0a)", re.IGNORECASE)
# Not allowed in Windows file names: a download must save under the name shown.
_RESERVED = re.compile(r'[<>:"|?*]')


def sanitise_file_name(name: str | None, file_type: FileType, max_length: int) -> str:
    """The name without any directory part, control or invisible formatting characters,
    characters Windows forbids (→ `_`) or leading dots, at most `max_length` characters, ending in
    an extension of `file_type` (added when missing, so a PDF never downloads as `.exe`).
    Chinese and other letters are kept."""
    text = unicodedata.normalize("NFC", name or "")
    text = _BROWSER_ESCAPES.sub(lambda m: {"22": '"'}.get(m.group(1), ""), text)
    text = _CONTROL.sub("", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cs"))
    text = re.split(r"[/\\]", text)[-1]  # "../../etc/passwd.pdf" → "passwd.pdf"
    text = _RESERVED.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip().lstrip(".").strip()
    stem, dot, extension = text.rpartition(".")
    if not dot or f".{extension.lower()}" not in file_type.extensions:
        stem, extension = text, file_type.extensions[0][1:]
    else:
        extension = extension.lower()
    stem = stem.strip(" .") or "attachment"
    stem = stem[: max(1, max_length - len(extension) - 1)].rstrip(" .") or "attachment"
    return f"{stem}.{extension}"
