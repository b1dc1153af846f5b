"""Reading the QR code of a printed form back from its scan or photo: the forms this system
generates carry `<public url>/verify/<token>` at the top right, so the token tells which
document (and so which revision) was printed, signed and uploaded.

Pure functions (CPU only, no I/O); the service runs `tokens_in` in a worker thread after
`checks.check_content` accepted the file, so its type is known and images are within the size
limits. Whether a token is genuine is the verification service's question, not this module's.
"""

from __future__ import annotations

import io
import logging
import threading
from urllib.parse import parse_qs, urlsplit

import pypdfium2
import zxingcpp
from PIL import Image

from documents.attachments.schemas import PDF, FileType

log = logging.getLogger(__name__)

# The system's forms are A4 (595 × 842 pt): 2.5 renders the 80 pt code at 200 px, well within
# what zxing reads, in about 1500 × 2100 px.
PDF_RENDER_SCALE = 2.5
# zxing never looks at more than this (longest side, pixels): a PDF page of absurd size is
# rendered at a smaller scale instead of into hundreds of MB, and a large photo (already
# within the size limits of `checks`) is shrunk first, which keeps decoding well under a second.
MAX_DECODE_SIDE = 3000
_QR_CODES = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
# pdfium is not thread-safe: one render at a time in this process, whatever thread asks.
_PDFIUM = threading.Lock()


def tokens_in(content: bytes, file_type: FileType) -> list[str]:
    """The token of every QR code found on the file's first page (usually none or one), in the
    order zxing reports them; [] when nothing is readable."""
    image = _first_page(content) if file_type is PDF else _photo(content)
    if image is None:
        return []
    try:
        codes = zxingcpp.read_barcodes(image, formats=_QR_CODES)
    except (ValueError, RuntimeError) as exc:
        log.info("could not look for a QR code: %s", exc)
        return []
    tokens = (token_of(code.text) for code in codes if code.valid)
    return [token for token in tokens if token]


def token_of(text: str) -> str | None:
    """The token of a verification URL: its `token` query parameter, else its last path
    segment (`…/verify/<token>`); a bare token is its own last segment."""
    try:
        url = urlsplit(text.strip())
    except ValueError:
        return None
    in_query = parse_qs(url.query).get("token")
    if in_query:
        return in_query[0] or None
    return url.path.rstrip("/").rsplit("/", 1)[-1] or None


def _first_page(content: bytes) -> Image.Image | None:
    with _PDFIUM:
        try:
            document = pypdfium2.PdfDocument(content)
        except pypdfium2.PdfiumError as exc:
            log.info("pdfium could not open the PDF: %s", exc)
            return None
        try:
            if len(document) < 1:
                return None
            page = document[0]
            width, height = page.get_size()
            scale = min(PDF_RENDER_SCALE, MAX_DECODE_SIDE / max(width, height, 1))
            # A copy: the bitmap's buffer goes with the document when it is closed.
            return page.render(scale=scale, grayscale=True).to_pil().copy()
        except pypdfium2.PdfiumError as exc:
            log.info("pdfium could not render the first page: %s", exc)
            return None
        finally:
            document.close()


def _photo(content: bytes) -> Image.Image | None:
    """The image in grey, no larger than MAX_DECODE_SIDE (`checks` already refused oversize and
    broken images, so this decodes within the limits)."""
    try:
        with Image.open(io.BytesIO(content)) as opened:
            opened.draft("L", (MAX_DECODE_SIDE, MAX_DECODE_SIDE))  # JPEG: decode at a reduced scale
            image = opened.convert("L")
    except (OSError, ValueError, SyntaxError) as exc:
        log.info("could not decode the image: %s", exc)
        return None
    image.thumbnail((MAX_DECODE_SIDE, MAX_DECODE_SIDE))
    return image
