"""Reading rendered PDFs back as a person or a scanner would: the text, the pages, the QR code."""

from __future__ import annotations

import io

import pypdfium2
import zxingcpp
from pypdf import PdfReader


def page_texts(pdf: bytes) -> list[str]:
    """Each page's extracted text with all whitespace removed (wrapped lines join up again)."""
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def qr_codes(pdf: bytes, page: int = 0) -> list[str]:
    """The QR codes a scanner reads on a page rendered at twice its size (144 dpi)."""
    image = pypdfium2.PdfDocument(pdf)[page].render(scale=2).to_pil()
    return [
        code.text
        for code in zxingcpp.read_barcodes(image)
        if code.format == zxingcpp.BarcodeFormat.QRCode
    ]


def font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names
