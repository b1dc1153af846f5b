"""Building blocks of a government form: a bordered grid of label and value cells, section
headings, the photo box, signature and seal areas, check boxes.

A template describes its grid row by row; `FormGrid` places the cells (with column and row spans)
and turns them into one ReportLab table with the borders real forms have.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from documents.rendering.grid import Grid, Placed
from documents.rendering.page import CONTENT_WIDTH, GREY
from documents.rendering.text import Text, draw_centred, draw_right, draw_runs

SHADE = Color(0.93, 0.93, 0.93)
ROW_HEIGHT = 22.0  # room for handwriting on a printed form
SECTION_HEIGHT = 13.0


@dataclass
class Cell:
    content: list[Flowable]
    span: int = 1
    rows: int = 1
    shaded: bool = False


def label(zh: str, en: str | None = None, *, span: int = 1, rows: int = 1) -> Cell:
    """A field label, Chinese with the English the source form has beneath."""
    content: list[Flowable] = [Text(zh, size=9.5, align="center")]
    if en:
        content.append(Text(en, size=6.5, align="center", color=GREY, leading=8))
    return Cell(content, span, rows)


def value(
    text: str | int | date | None,
    *,
    span: int = 1,
    rows: int = 1,
    size: float = 10,
    bold: bool = False,
) -> Cell:
    """A filled-in value; None prints as a dash ("none"), never as a silently empty box."""
    return Cell([Text(show(text), size=size, bold=bold)], span, rows)


def blank(*, span: int = 1, rows: int = 1, height: float = 0, note: str = "") -> Cell:
    """A box left for the authorities or for handwriting."""
    return Cell([Text(note, size=8, color=GREY, min_height=height)], span, rows)


def note(text: str, *, span: int = 1, size: float = 9.5) -> Cell:
    """Running text inside the grid (a declaration, an instruction)."""
    return Cell([Text(text, size=size)], span)


def section(zh: str, en: str | None = None, *, span: int) -> Cell:
    text = zh if not en else f"{zh}  {en}"
    return Cell([Text(text, size=10, bold=True, min_height=SECTION_HEIGHT)], span, 1, shaded=True)


def checks(options: Sequence[tuple[str, bool]], *, span: int = 1) -> Cell:
    """Check boxes as printed forms have them: ■ chosen, □ not."""
    text = "    ".join(f"{'■' if chosen else '□'} {name}" for name, chosen in options)
    return Cell([Text(text, size=9.5)], span)


def show(text: str | int | date | None) -> str:
    if text is None:
        return "—"
    if isinstance(text, date):
        return f"{text.year}年{text.month:02d}月{text.day:02d}日"
    return str(text)


class PhotoBox(Flowable):
    """Where the printed form gets a photo pasted (a 1-inch photo is 25 × 35 mm)."""

    def __init__(self, lines: Sequence[str], width: float = 64, height: float = 88) -> None:
        super().__init__()
        self.lines = list(lines)
        self.box_width = width
        self.box_height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.box_height
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        left = (self.width - self.box_width) / 2
        canvas.saveState()
        canvas.setDash(3, 2)
        canvas.setLineWidth(0.6)
        canvas.setStrokeColor(GREY)
        canvas.rect(left, 0, self.box_width, self.box_height)
        canvas.setFillColor(GREY)
        middle = self.box_height / 2 + 6 * len(self.lines) - 10
        for index, line in enumerate(self.lines):
            draw_centred(canvas, self.width / 2, middle - index * 12, line, 8)
        canvas.restoreState()


class SignArea(Flowable):
    """A signature or seal box: its caption at the top left, room to sign or stamp, and the
    date line at the bottom right."""

    def __init__(
        self, caption: str, *, height: float = 78, with_date: bool = True, size: float = 9.5
    ) -> None:
        super().__init__()
        self.caption = caption
        self.size = size
        self.box_height = height
        self.with_date = with_date

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.box_height
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColorRGB(0, 0, 0)
        for index, line in enumerate(self.caption.split("\n")):
            draw_runs(
                canvas, 0, self.height - self.size - 1.5 - index * self.size * 1.35, line, self.size
            )
        if self.with_date:
            draw_right(canvas, self.width - 4, 6, "年        月        日", self.size)


def sign(caption: str, *, span: int = 1, rows: int = 1, height: float = 78) -> Cell:
    return Cell([SignArea(caption, height=height)], span, rows)


def photo(lines: Sequence[str], *, span: int = 1, rows: int = 1) -> Cell:
    return Cell([PhotoBox(lines)], span, rows)


@dataclass
class FormGrid:
    """Rows of cells over columns of relative `widths` (they share the content width)."""

    widths: Sequence[float]
    rows: list[list[Cell]] = field(default_factory=list)

    def add(self, *cells: Cell) -> None:
        self.rows.append(list(cells))

    def _placed(self) -> list[tuple[int, int, Cell]]:
        """(row, column, cell) of every cell, skipping columns covered by a row span above."""
        columns = len(self.widths)
        taken: set[tuple[int, int]] = set()
        placed = []
        for row_index, cells in enumerate(self.rows):
            column = 0
            for cell in cells:
                while (row_index, column) in taken:
                    column += 1
                if column + cell.span > columns:
                    raise ValueError(f"row {row_index} is wider than {columns} columns")
                placed.append((row_index, column, cell))
                for r in range(row_index, row_index + cell.rows):
                    for c in range(column, column + cell.span):
                        taken.add((r, c))
                column += cell.span
        return placed

    def table(self, *, min_height: float = ROW_HEIGHT) -> Grid:
        placed = self._placed()
        # Only the column edges some cell starts or ends at are kept.
        edges = sorted(
            {0, len(self.widths)}
            | {column for _, column, _ in placed}
            | {column + cell.span for _, column, cell in placed}
        )
        index_of = {edge: index for index, edge in enumerate(edges)}
        scale = CONTENT_WIDTH / sum(self.widths)
        widths = [sum(self.widths[a:b]) * scale for a, b in itertools.pairwise(edges)]
        cells = []
        for row, start, cell in placed:
            if len(cell.content) == 1 and isinstance(cell.content[0], Text) and not cell.shaded:
                text = cell.content[0]
                text.min_height = max(text.min_height, min_height - 6)
            cells.append(
                Placed(
                    row=row,
                    first=index_of[start],
                    end=index_of[start + cell.span],
                    rows=cell.rows,
                    content=cell.content,
                    shade=SHADE if cell.shaded else None,
                )
            )
        return Grid(cells, widths, len(self.rows))
