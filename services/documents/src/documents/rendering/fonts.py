"""The embedded CJK fonts and how text is split among them.

Three subsets of one OFL font are kept in `fonts/` (rebuilt by `scripts/build_font.py`): the
regular face with every character the templates print plus the 3,755 common hanzi, a bold face
for titles, and a large "rare" face (every other CJK ideograph the source font has) that is read
only when user data needs it. Text is drawn as runs, each in the first face that has its
characters; a character no face has is printed as 〓 (the typesetter's placeholder) and logged.
"""

from __future__ import annotations

import io
import logging
import lzma
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

FONT_DIR = Path(__file__).with_name("fonts")
REGULAR = "PermitsSansSC"
BOLD = "PermitsSansSC-Bold"
RARE = "PermitsSansSC-Rare"
PLACEHOLDER = "〓"
_FILES = {REGULAR: "PermitsSansSC-Regular.ttf", BOLD: "PermitsSansSC-Bold.ttf"}
_RARE_FILE = "PermitsSansSC-Rare.ttf.xz"


def _to_unicode_cmap(font_name: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap with code points beyond the BMP written as UTF-16 (surrogate
    pairs), as the PDF specification asks; ReportLab writes e.g. <2003E>, which readers reject,
    so text with Extension B characters could not be searched or copied."""
    entries = [
        f"<{code:02X}> <{value:04X}>"
        if value < 0x10000
        else f"<{code:02X}> <{chr(value).encode('utf-16-be').hex().upper()}>"
        for code, value in enumerate(subset)
    ]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({font_name})",
            f"/Ordering ({font_name})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{font_name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


if "<2003E>" in ttfonts.makeToUnicodeCMap("probe", [0x2003E]):  # until ReportLab fixes it
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@dataclass(frozen=True)
class Face:
    name: str
    font: TTFont
    characters: frozenset[str]

    @classmethod
    def of(cls, name: str, font: TTFont) -> Face:
        return cls(name, font, frozenset(map(chr, font.face.charToGlyph)))

    def has(self, char: str) -> bool:
        return char in self.characters

    def width(self, text: str, size: float) -> float:
        return float(self.font.stringWidth(text, size))


@cache
def face(name: str) -> Face:
    """The regular or bold face, registered with ReportLab on first use."""
    font = TTFont(name, str(FONT_DIR / _FILES[name]))
    pdfmetrics.registerFont(font)
    return Face.of(name, font)


_rare_lock = threading.Lock()
_rare: Face | None = None


def rare_face() -> Face:
    """The large face, decompressed and registered the first time a rare character appears."""
    global _rare
    with _rare_lock:
        if _rare is None:
            content = lzma.decompress((FONT_DIR / _RARE_FILE).read_bytes())
            font = TTFont(RARE, io.BytesIO(content))
            pdfmetrics.registerFont(font)
            _rare = Face.of(RARE, font)
            log.info("rare-character font loaded (%d characters)", len(font.face.charToGlyph))
        return _rare


def is_rare_loaded() -> bool:
    return _rare is not None


def _chain(bold: bool) -> tuple[Face, ...]:
    return (face(BOLD), face(REGULAR)) if bold else (face(REGULAR),)


def _pick(char: str, chain: tuple[Face, ...]) -> tuple[Face, str]:
    for candidate in chain:
        if candidate.has(char):
            return candidate, char
    if char in "\n\t":
        return chain[0], " "
    rare = rare_face()
    if rare.has(char):
        return rare, char
    log.warning("no embedded font has U+%04X; printed as %s", ord(char), PLACEHOLDER)
    return face(REGULAR), PLACEHOLDER


def runs(text: str, *, bold: bool = False) -> Iterator[tuple[Face, str]]:
    """`text` as consecutive (face, substring) runs; missing characters become the placeholder."""
    chain = _chain(bold)
    first = chain[0]
    if first.characters.issuperset(text):  # the common case: one run
        if text:
            yield first, text
        return
    current: Face | None = None
    buffer: list[str] = []
    for char in text:
        chosen, printed = (first, char) if first.has(char) else _pick(char, chain)
        if chosen is not current and buffer:
            assert current is not None
            yield current, "".join(buffer)
            buffer = []
        current = chosen
        buffer.append(printed)
    if buffer and current is not None:
        yield current, "".join(buffer)


def width(text: str, size: float, *, bold: bool = False) -> float:
    return sum(run_face.width(part, size) for run_face, part in runs(text, bold=bold))


def missing_characters(text: str) -> list[str]:
    """The characters of `text` that no embedded face has (they print as the placeholder)."""
    faces = [face(REGULAR), face(BOLD)]
    absent = [char for char in text if char not in "\n\t" and not any(f.has(char) for f in faces)]
    if not absent:
        return []
    rare = rare_face()
    return [char for char in absent if not rare.has(char)]
