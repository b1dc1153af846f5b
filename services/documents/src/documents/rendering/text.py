"""Text that wraps the Chinese way and draws with the embedded font chain.

ReportLab's Paragraph parses markup on every call and draws with one font per fragment; a form
has a hundred small cells, so `Text` measures and breaks lines itself (between any two CJK
characters, at spaces in Latin text, never starting a line with closing punctuation) and draws
each line as runs of the faces that have its characters (`fonts.runs`).
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.lib.colors import Color, black
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from documents.rendering import fonts

# A token is one CJK character, a run of spaces, or a run of other characters (a Latin word).
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff"
_TOKENS = re.compile(f"[{_CJK}]|\\s+|[^\\s{_CJK}]+")
# Characters that may not begin a line (they hang at the end of the previous one).
_NO_LINE_START = set("，。、；：！？）】》」』〕…—,.;:!?)]%")


def draw_runs(
    canvas: Canvas, x: float, y: float, text: str, size: float, *, bold: bool = False
) -> float:
    """Draws `text` from (x, y) on the baseline; returns the width drawn."""
    start = x
    for face, part in fonts.runs(text, bold=bold):
        canvas.setFont(face.name, size)
        canvas.drawString(x, y, part)
        x += face.width(part, size)
    return x - start


def draw_centred(
    canvas: Canvas, x: float, y: float, text: str, size: float, *, bold: bool = False
) -> None:
    draw_runs(canvas, x - fonts.width(text, size, bold=bold) / 2, y, text, size, bold=bold)


def draw_right(
    canvas: Canvas, x: float, y: float, text: str, size: float, *, bold: bool = False
) -> None:
    draw_runs(canvas, x - fonts.width(text, size, bold=bold), y, text, size, bold=bold)


def break_lines(text: str, limit: float, size: float, *, bold: bool = False) -> list[str]:
    """`text` broken into lines no wider than `limit` (explicit newlines are kept)."""
    if "\n" not in text and fonts.width(text, size, bold=bold) <= limit:
        return [text]
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for token in _TOKENS.findall(paragraph):
            token_width = fonts.width(token, size, bold=bold)
            if used + token_width <= limit or not line or token[0] in _NO_LINE_START:
                if token_width > limit and not token.isspace() and len(token) > 1:
                    for char in token:  # a word wider than the line: break inside it
                        char_width = fonts.width(char, size, bold=bold)
                        if used + char_width > limit and line:
                            lines.append(line.rstrip())
                            line, used = "", 0.0
                        line, used = line + char, used + char_width
                    continue
                line, used = line + token, used + token_width
            elif token.isspace():
                lines.append(line.rstrip())
                line, used = "", 0.0
            else:
                lines.append(line.rstrip())
                line, used = token, token_width
        lines.append(line.rstrip())
    return lines


class Text(Flowable):
    """Wrapped text in the embedded fonts; `min_height` keeps room for handwriting."""

    def __init__(
        self,
        text: str,
        *,
        size: float = 10,
        bold: bool = False,
        align: str = "left",
        color: Color = black,
        leading: float | None = None,
        min_height: float = 0,
        space_before: float = 0,
        space_after: float = 0,
        indent: float = 0,
    ) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.bold = bold
        self.align = align
        self.color = color
        self.leading = leading or size * 1.35
        self.min_height = min_height
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.indent = indent  # of every line, from the left
        self.lines: list[str] = []
        self._wrapped_at = -1.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if available_width != self._wrapped_at:  # tables ask more than once
            limit = available_width - self.indent
            self.lines = break_lines(self.text, limit, self.size, bold=self.bold)
            self._wrapped_at = available_width
        self.width = available_width
        self.height = max(self.min_height, len(self.lines) * self.leading)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Any]:
        self.wrap(available_width, available_height)
        fits = int(available_height // self.leading)
        if fits < 1 or fits >= len(self.lines):
            return []
        return [self._part(self.lines[:fits]), self._part(self.lines[fits:])]

    def _part(self, lines: list[str]) -> Text:
        part = Text(
            "\n".join(lines),
            size=self.size,
            bold=self.bold,
            align=self.align,
            color=self.color,
            leading=self.leading,
            indent=self.indent,
        )
        return part

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.setFillColor(self.color)
        text_height = len(self.lines) * self.leading
        # Centre the block in any extra height; the baseline sits ~0.22 em above a line's bottom.
        top = self.height - (self.height - text_height) / 2
        for index, line in enumerate(self.lines):
            baseline = top - (index + 1) * self.leading + (self.leading - self.size) / 2
            baseline += self.size * 0.14
            if self.align == "center":
                draw_centred(canvas, self.width / 2, baseline, line, self.size, bold=self.bold)
            elif self.align == "right":
                draw_right(canvas, self.width, baseline, line, self.size, bold=self.bold)
            else:
                draw_runs(canvas, self.indent, baseline, line, self.size, bold=self.bold)
