"""The bordered grid of a form as one flowable.

ReportLab's Table would do, at about three times the cost: it styles and measures every cell of
the full column grid, and a form has hundreds. Here only the cells that exist are measured and
drawn: each row is as high as its tallest cell (a cell spanning rows stretches the last of
them), contents are centred vertically, every cell gets a thin border and the grid a thick one.
A grid taller than the page splits between rows that no cell spans.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color, black
from reportlab.platypus import Flowable

PAD_X = 4.0
PAD_Y = 3.0
LINE = 0.6
OUTLINE = 1.3


@dataclass(frozen=True)
class Placed:
    row: int
    first: int  # first column
    end: int  # column after the last
    rows: int
    content: Sequence[Flowable]
    shade: Color | None


class Grid(Flowable):
    def __init__(self, cells: Sequence[Placed], widths: Sequence[float], row_count: int) -> None:
        super().__init__()
        self.cells = list(cells)
        self.widths = list(widths)
        self.row_count = row_count
        self.xs = [0.0, *itertools.accumulate(self.widths)]
        self.heights: list[float] = []
        self.width = self.xs[-1]

    def _measure(self) -> list[float]:
        if self.heights:
            return self.heights
        heights = [0.0] * self.row_count
        spanning = []
        for cell in self.cells:
            inner = self.xs[cell.end] - self.xs[cell.first] - 2 * PAD_X
            need = sum(item.wrap(inner, 10_000)[1] for item in cell.content) + 2 * PAD_Y
            if cell.rows == 1:
                heights[cell.row] = max(heights[cell.row], need)
            else:
                spanning.append((cell, need))
        for cell, need in spanning:
            last = cell.row + cell.rows - 1
            have = sum(heights[cell.row : last + 1])
            if need > have:
                heights[last] += need - have
        self.heights = heights
        return heights

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.height = sum(self._measure())
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Any]:
        heights = self._measure()
        crossed = {
            boundary
            for cell in self.cells
            for boundary in range(cell.row + 1, cell.row + cell.rows)
        }
        cut, used = 0, 0.0
        for row, height in enumerate(heights):
            used += height
            if used > available_height:
                break
            if row + 1 not in crossed:
                cut = row + 1
        if cut == 0 or cut == self.row_count:
            return []
        return [self._rows(0, cut), self._rows(cut, self.row_count)]

    def _rows(self, start: int, stop: int) -> Grid:
        cells = [
            Placed(c.row - start, c.first, c.end, c.rows, c.content, c.shade)
            for c in self.cells
            if start <= c.row < stop
        ]
        return Grid(cells, self.widths, stop - start)

    def draw(self) -> None:
        canvas = self.canv
        heights = self._measure()
        tops = [self.height - used for used in (0.0, *itertools.accumulate(heights))]
        borders = canvas.beginPath()
        for cell in self.cells:
            left, right = self.xs[cell.first], self.xs[cell.end]
            top, bottom = tops[cell.row], tops[cell.row + cell.rows]
            if cell.shade is not None:
                canvas.setFillColor(cell.shade)
                canvas.rect(left, bottom, right - left, top - bottom, stroke=0, fill=1)
            block = sum(item.height for item in cell.content)
            y = bottom + (top - bottom + block) / 2
            for item in cell.content:
                y -= item.height
                item.drawOn(canvas, left + PAD_X, y)
            borders.rect(left, bottom, right - left, top - bottom)
        canvas.setStrokeColor(black)
        canvas.setLineWidth(LINE)
        canvas.drawPath(borders, stroke=1, fill=0)
        canvas.setLineWidth(OUTLINE)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)
