"""The embedded fonts cover what the templates print, text breaks the Chinese way, and the QR
encoder gives the symbol ReportLab would, with the mask the standard's penalty prefers."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest
from reportlab.graphics.barcode import qrencoder

from documents.rendering import fonts, qr
from documents.rendering.text import break_lines

RENDERING = Path(fonts.__file__).parent


def test_every_character_the_templates_print_is_in_the_small_fonts() -> None:
    """Guards scripts/build_font.py: a new label needs the fonts rebuilt."""
    regular, bold = fonts.face(fonts.REGULAR), fonts.face(fonts.BOLD)
    missing = {
        char
        for path in RENDERING.rglob("*.py")
        if path.name != "examples.py"
        for char in path.read_text("utf-8")
        if ord(char) > 0x7F and not (regular.has(char) or bold.has(char))
    }
    assert not missing, "".join(sorted(missing))


def test_the_fonts_carry_the_ofl_and_not_the_reserved_font_name() -> None:
    licence = (fonts.FONT_DIR / "OFL.txt").read_text("utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    for name in (fonts.REGULAR, fonts.BOLD):
        assert "Source" not in fonts.face(name).font.face.name.decode()


def test_common_text_stays_in_the_regular_font_and_rare_characters_go_to_the_rare_one() -> None:
    runs = [(face.name, part) for face, part in fonts.runs("王淏𠀾先生 Mr Wang")]
    assert runs[0] == (fonts.REGULAR, "王")
    assert (fonts.RARE, "淏𠀾") in runs
    assert runs[-1] == (fonts.REGULAR, "先生 Mr Wang")


def test_bold_text_falls_back_to_the_regular_font_for_characters_bold_lacks() -> None:
    regular, bold = fonts.face(fonts.REGULAR), fonts.face(fonts.BOLD)
    common = next(char for char in "鹏飞燕雁鸿" if regular.has(char) and not bold.has(char))
    runs = list(fonts.runs(f"外国人就业登记表 {common}", bold=True))
    assert [(face.name, part) for face, part in runs] == [
        (fonts.BOLD, "外国人就业登记表 "),
        (fonts.REGULAR, common),
    ]


def test_characters_no_font_has_become_the_placeholder() -> None:
    assert fonts.missing_characters("泰国 ก 😀") == ["ก", "😀"]
    text = "".join(part for _, part in fonts.runs("A😀B"))
    assert text == f"A{fonts.PLACEHOLDER}B"


@pytest.mark.parametrize(
    "text",
    [
        "山东省青岛市市南区香港中路街道香港中路76号颐和国际A座2201室（中国（山东）自由贸易试验区）",
        "MÜLLER-LÜDENSCHEIDT ANNA KATHARINA, Senior Robotics Control Algorithm Engineer",
        "Supercalifragilisticexpialidociousandevenlongerwordsthatcannotfitanywhere",
        "第一行\n第二行，很长很长很长很长很长很长很长很长很长很长很长很长很长很长",
    ],
)
def test_lines_never_exceed_the_width_and_lose_no_character(text: str) -> None:
    limit = 120.0
    lines = break_lines(text, limit, 10)
    assert all(fonts.width(line, 10) <= limit + 12 for line in lines)  # + one hanging mark
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_closing_punctuation_never_starts_a_line() -> None:
    text = "申请人须知：" + "请按要求填写，" * 20
    for limit in range(60, 200, 7):
        for line in break_lines(text, float(limit), 10)[1:]:
            assert line[0] not in "，。、；：！？）", (limit, line)


def test_latin_words_wrap_at_spaces() -> None:
    lines = break_lines("Application for Recruiting Foreign Worker in China", 90, 10)
    assert len(lines) > 1
    assert all(not line.startswith(" ") for line in lines)
    assert " ".join(lines) == "Application for Recruiting Foreign Worker in China"


@pytest.mark.parametrize("length", [1, 17, 40, 138, 170, 200, 330, 700])
def test_codewords_are_the_ones_reportlab_computes(length: int) -> None:
    text = "".join(random.Random(length).choice(string.printable) for _ in range(length))
    code = qrencoder.QRCode(None, qr.LEVEL)
    code.addData(qrencoder.QR8bitByte(text.encode()))
    version = code.calculate_version()
    expected = qrencoder.QRCode.createData(version, qr.LEVEL, code.dataList)
    assert qr.codewords(version, text.encode()) == expected


@pytest.mark.parametrize("length", [20, 138, 170, 260])
def test_the_symbol_is_reportlabs_with_the_mask_of_least_penalty(length: int) -> None:
    text = "https://documents.example.gov.cn/verify/" + "Ab0_-" * (length // 5)
    rows, size = qr.matrix(text)
    code = qrencoder.QRCode(None, qr.LEVEL)
    code.addData(qrencoder.QR8bitByte(text.encode()))
    code.version = code.calculate_version()
    candidates = []
    for mask in range(8):
        code.makeImpl(False, mask)
        candidates.append(
            [int("".join("1" if dark else "0" for dark in row), 2) for row in code.modules]
        )
    assert size == code.getModuleCount()
    assert rows in candidates
    assert qr.penalty(rows, size) == min(qr.penalty(candidate, size) for candidate in candidates)


def test_the_penalty_counts_runs_blocks_finder_patterns_and_balance() -> None:
    size = 11
    dark = [(1 << size) - 1] * size  # all dark
    # N1: 22 lines of 11 → 3 + 6 each; N2: 10 × 10 blocks × 3; N4: 100 % dark → 10 × 10.
    assert qr.penalty(dark, size) == 22 * 9 + 300 + 100
    finder = [int("10111010000", 2)] + [0] * (size - 1)
    assert qr.penalty(finder, size) >= 40
