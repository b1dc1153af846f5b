"""Rebuilds the CJK font subsets that the PDF templates embed (no system font is ever used).

    uv run python services/documents/scripts/build_font.py                 # fetches the source
    uv run python services/documents/scripts/build_font.py --source DIR    # DIR has the .otf files

Source: Source Han Sans SC 2.001R by Adobe (SIL Open Font License 1.1, Reserved Font Name
"Source"), as published in the npm package `node-source-han-sans-sc@1.1.0-2.001R` (tarball sha1
below; `npm pack` checks its integrity, this script checks the sha1 again). The OTF files are
CFF-based; ReportLab embeds TrueType outlines only, so the subsets are converted with fontTools'
cu2qu (the otf2ttf recipe). A subset is a Modified Version under the OFL, which may not carry the
Reserved Font Name: the outputs are renamed "Permits Sans SC".

Outputs (in src/documents/rendering/fonts/):

- PermitsSansSC-Regular.ttf  every character the templates print, GB2312 symbols and level-1
  hanzi (3,755 common characters), ASCII, Latin letters with diacritics, CJK punctuation;
- PermitsSansSC-Bold.ttf     the templates' characters and ASCII (titles and headings);
- PermitsSansSC-Rare.ttf.xz  every other CJK ideograph of the source (GB2312 level 2, the rest
  of GBK, Extension A, the Extension B+ characters it has…), loaded only when user data needs it;
- OFL.txt                    the licence, verbatim from the source package.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import lzma
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.scaleUpem import scale_upem

PACKAGE = "node-source-han-sans-sc@1.1.0-2.001R"
PACKAGE_SHA1 = "07e6f872c460d6b3949d2daf3aa757e3f21da278"
SOURCE_VERSION = "Source Han Sans SC 2.001R"
SOURCES = {"Regular": "SourceHanSansSC-Regular.otf", "Bold": "SourceHanSansSC-Bold.otf"}
FAMILY = "Permits Sans SC"

RENDERING = Path(__file__).resolve().parents[1] / "src" / "documents" / "rendering"
FONTS = RENDERING / "fonts"

# Curve-to-quadratic tolerance in font units (1/1000 em: 0.01 pt at 10 pt, invisible in print).
MAX_ERROR = 1.0
# The rare-character font is stored at half the resolution (0.02 pt at 10 pt): 15 % smaller.
RARE_UNITS_PER_EM = 500
HANGUL = [(0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)]


def ranges(*spans: tuple[int, int]) -> set[int]:
    return {code for start, end in spans for code in range(start, end + 1)}


def gb2312_rows(first: int, last: int) -> set[int]:
    """Characters of GB2312 rows `first`..`last` (row 1 = lead byte 0xA1; 16–55 = level 1)."""
    found = set()
    for lead in range(0xA0 + first, 0xA0 + last + 1):
        for trail in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes([lead, trail]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def template_characters() -> set[int]:
    """Every non-ASCII character written in the rendering package's source (labels, titles)."""
    found: set[int] = set()
    for path in RENDERING.rglob("*.py"):
        if path.name == "examples.py":  # sample user data, not template text
            continue
        found.update(ord(char) for char in path.read_text("utf-8") if ord(char) > 0x7F)
    return found


ASCII = ranges((0x20, 0x7E))
BASE = ASCII | ranges(
    (0xA0, 0x24F),  # Latin-1, Latin Extended-A/B: foreign names as in passports
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2010, 0x205E),  # general punctuation
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF01, 0xFF5E),  # full-width forms
    (0xFFE0, 0xFFE6),
)


def fetch_source(into: Path) -> Path:
    subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", str(into)], check=True)
    (tarball,) = into.glob("*.tgz")
    digest = hashlib.sha1(tarball.read_bytes(), usedforsecurity=False).hexdigest()
    if digest != PACKAGE_SHA1:
        raise SystemExit(f"{tarball.name}: sha1 {digest}, expected {PACKAGE_SHA1}")
    wanted = {f"package/{name}" for name in [*SOURCES.values(), "LICENSE"]}
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            if member.name in wanted:
                archive.extract(member, into, filter="data")
    return into / "package"


def to_truetype(font: TTFont) -> None:
    """CFF outlines → quadratic glyf outlines (fontTools' otf2ttf recipe)."""
    glyph_set = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    metrics = font["hmtx"].metrics
    for name, glyph in glyphs.items():
        metrics[name] = (metrics[name][0], glyph.xMin if glyph.numberOfContours else 0)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    font["post"].formatType = 3.0  # no glyph names
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, style: str) -> None:
    """The OFL's Reserved Font Name may not name a Modified Version."""
    postscript = f"{FAMILY.replace(' ', '')}-{style}"
    names = font["name"]
    names.names = [record for record in names.names if record.nameID in (0, 2, 13, 14)]
    for name_id, text in {
        1: FAMILY,
        3: f"{postscript};subset of {SOURCE_VERSION}",
        4: f"{FAMILY} {style}",
        5: f"Version 2.001; subset of {SOURCE_VERSION}",
        6: postscript,
    }.items():
        names.setName(text, name_id, 3, 1, 0x409)


def build(
    source: Path, style: str, characters: Iterable[int], *, name: str = "", units_per_em: int = 0
) -> bytes:
    """`name`: the style in the font's names when it differs from the source's (each embedded
    face needs its own PostScript name: a PDF tells fonts apart by it)."""
    font = TTFont(source / SOURCES[style], recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []  # ReportLab does no shaping
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.drop_tables += ["BASE", "DSIG", "vhea", "vmtx", "VORG", "GPOS", "GSUB", "GDEF"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(characters))
    subsetter.subset(font)
    if units_per_em:
        scale_upem(font, units_per_em)
    to_truetype(font)
    rename(font, name or style)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="folder with the Source Han Sans SC .otf files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        source = args.source or fetch_source(Path(scratch))
        have = set(TTFont(source / SOURCES["Regular"], lazy=True).getBestCmap())
        have_bold = set(TTFont(source / SOURCES["Bold"], lazy=True).getBestCmap())
        templates = template_characters()
        missing = sorted(chr(code) for code in templates - have)
        if missing:
            raise SystemExit(f"the source font lacks template characters: {''.join(missing)}")
        regular = (BASE | gb2312_rows(1, 9) | gb2312_rows(16, 55) | templates) & have
        bold = (ASCII | ranges((0x3000, 0x303F), (0xFF01, 0xFF5E)) | templates) & have_bold
        rare = have - regular - set().union(*(ranges(span) for span in HANGUL))
        FONTS.mkdir(parents=True, exist_ok=True)
        outputs = {
            "PermitsSansSC-Regular.ttf": build(source, "Regular", regular),
            "PermitsSansSC-Bold.ttf": build(source, "Bold", bold),
            "PermitsSansSC-Rare.ttf.xz": lzma.compress(
                build(source, "Regular", rare, name="Rare", units_per_em=RARE_UNITS_PER_EM),
                preset=9 | lzma.PRESET_EXTREME,
            ),
        }
        for name, content in outputs.items():
            (FONTS / name).write_bytes(content)
        licence = (source / "LICENSE").read_text("utf-8")
        (FONTS / "OFL.txt").write_text(re.sub(r"[ \t]+\n", "\n", licence), "utf-8")
    counts = {"Regular": len(regular), "Bold": len(bold), "Rare": len(rare)}
    for name, content in outputs.items():
        style = name.split("-")[1].split(".")[0]
        print(f"{name}: {counts[style]} characters, {len(content) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
