"""QR codes of verification URLs, drawn as vector paths.

ReportLab's encoder (`reportlab.graphics.barcode.qrencoder`) makes the codewords (byte mode,
error correction level M) and places the function patterns and data. Choosing the mask is what
costs: ReportLab scores the eight candidates module by module (about 15 ms a code, most of a
form's budget). Here the candidates are bit rows — function patterns of a version are cached, a
candidate is `function | (data ^ mask)` — and scored with the penalty rules of ISO/IEC 18004
(runs, 2×2 blocks, finder-like patterns, dark balance) on whole rows and columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise, zip_longest

from reportlab.graphics.barcode import qrencoder
from reportlab.pdfgen.canvas import Canvas

LEVEL = qrencoder.QRErrorCorrectLevel.M
QUIET_ZONE = 4  # modules of light margin a reader needs around the symbol
_RUN = re.compile(r"0{5,}|1{5,}")
_DARK = re.compile(r"1+")


@dataclass(frozen=True)
class _Layout:
    """What does not depend on the data, per version: per mask, the function-pattern rows
    (format information of that mask included) and the mask restricted to data modules."""

    size: int
    positions: list[tuple[int, int]]  # (column, row) of each data bit, in placement order
    function_rows: tuple[tuple[int, ...], ...]
    mask_rows: tuple[tuple[int, ...], ...]


def _row_bits(cells: list[bool]) -> int:
    value = 0
    for dark in cells:
        value = (value << 1) | dark
    return value


@cache
def _layout(version: int) -> _Layout:
    code = qrencoder.QRCode(version, LEVEL)
    code.addData("0")
    code.makeImpl(False, 0)
    size = code.getModuleCount()
    positions = list(code.dataPosIterator())
    is_data = [[False] * size for _ in range(size)]
    for column, row in positions:
        is_data[row][column] = True
    function_rows, mask_rows = [], []
    for mask in range(8):
        code.makeImpl(False, mask)
        pattern = qrencoder.QRUtil.getMask(mask)
        function_rows.append(
            tuple(
                _row_bits([dark and not data for dark, data in zip(modules, flags, strict=True)])
                for modules, flags in zip(code.modules, is_data, strict=True)
            )
        )
        mask_rows.append(
            tuple(
                _row_bits([flags[c] and bool(pattern(r, c)) for c in range(size)])
                for r, flags in enumerate(is_data)
            )
        )
    return _Layout(size, positions, tuple(function_rows), tuple(mask_rows))


def penalty(rows: list[int], size: int) -> int:
    """ISO/IEC 18004 mask penalty (N1 = 3, N2 = 3, N3 = 40, N4 = 10) of a symbol's bit rows."""
    texts = [format(row, f"0{size}b") for row in rows]
    lines = texts + ["".join(column) for column in zip(*texts, strict=True)]
    # One scan over every row and column: "|" keeps them apart; the quiet zone is light.
    score = sum(len(run) - 2 for run in _RUN.findall("|".join(lines)))
    padded = "0000{}0000".format("0000|0000".join(lines))
    score += 40 * (padded.count("10111010000") + padded.count("00001011101"))  # never overlap
    inner = (1 << (size - 1)) - 1
    for upper, lower in pairwise(rows):
        same = ~(upper ^ lower) & ~(upper ^ (upper >> 1)) & ~(lower ^ (lower >> 1)) & inner
        score += 3 * same.bit_count()
    dark = sum(row.bit_count() for row in rows)
    score += 10 * int(abs(dark * 100 / (size * size) - 50) // 5)
    return score


@cache
def _generator_logs(degree: int) -> tuple[int, ...]:
    """Logs of the Reed–Solomon generator's coefficients after the leading 1."""
    generator = qrencoder.QRUtil.getErrorCorrectPolynomial(degree).num
    return tuple(qrencoder.LOG_TABLE[coefficient] for coefficient in generator[1:])


def _error_correction(data: list[int], degree: int) -> list[int]:
    logs = _generator_logs(degree)
    exp, log = qrencoder.EXP_TABLE, qrencoder.LOG_TABLE
    remainder = [0] * degree
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = [*remainder[1:], 0]
        if factor:
            shift = log[factor]
            remainder = [r ^ exp[(g + shift) % 255] for r, g in zip(remainder, logs, strict=True)]
    return remainder


def codewords(version: int, payload: bytes) -> list[int]:
    """The same bytes as ReportLab's `QRCode.createData` for one byte-mode segment (data,
    terminator, padding, interleaved blocks and their error correction), built from whole
    bytes rather than bit by bit, with each generator polynomial computed once."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, LEVEL)
    capacity = sum(block.dataCount for block in blocks)
    length_bits = 8 if version < 10 else 16
    bits = "0100" + format(len(payload), f"0{length_bits}b")
    bits += "".join(f"{byte:08b}" for byte in payload)
    if len(bits) > capacity * 8:
        raise ValueError("too long for a QR code")
    bits += "0000"[: capacity * 8 - len(bits)]  # terminator, shortened when the symbol is full
    bits += "0" * (-len(bits) % 8)
    data = [int(bits[i : i + 8], 2) for i in range(0, len(bits), 8)]
    data += [0xEC, 0x11] * ((capacity - len(data)) // 2) + [0xEC] * ((capacity - len(data)) % 2)
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        chunk = data[offset : offset + block.dataCount]
        offset += block.dataCount
        data_blocks.append(chunk)
        ec_blocks.append(_error_correction(chunk, block.totalCount - block.dataCount))
    return [
        byte
        for group in (data_blocks, ec_blocks)
        for column in zip_longest(*group)
        for byte in column
        if byte is not None
    ]


def matrix(text: str) -> tuple[list[int], int]:
    """The symbol for `text` as bit rows (most significant bit = left column) and its size."""
    payload = text.encode("utf-8")
    code = qrencoder.QRCode(None, LEVEL)
    code.addData(qrencoder.QR8bitByte(payload))
    version = code.calculate_version()
    data = codewords(version, payload)
    layout = _layout(version)
    size = layout.size
    bits = ((byte >> shift) & 1 for byte in data for shift in range(7, -1, -1))
    data_rows = [0] * size
    # Positions past the last bit (the remainder bits of some versions) stay light.
    for (column, row), dark in zip(layout.positions, bits, strict=False):
        if dark:
            data_rows[row] |= 1 << (size - 1 - column)
    candidates = [
        [f | (d ^ m) for f, d, m in zip(functions, data_rows, masks, strict=True)]
        for functions, masks in zip(layout.function_rows, layout.mask_rows, strict=True)
    ]
    return min(candidates, key=lambda rows: penalty(rows, size)), size


def draw(canvas: Canvas, symbol: tuple[list[int], int], x: float, y: float, side: float) -> None:
    """Draws `symbol` (from `matrix`, without its quiet zone) as a `side` square with its lower
    left corner at (x, y); the caller keeps `QUIET_ZONE` modules around it clear."""
    rows, size = symbol
    module = side / size
    path = canvas.beginPath()
    top = y + side
    # Dark runs of a row, merged with the same runs of the rows below into taller rectangles.
    open_runs: dict[tuple[int, int], int] = {}
    for index in range(size + 1):
        row = format(rows[index], f"0{size}b") if index < size else ""
        runs = {run.span() for run in _DARK.finditer(row)}
        for (start, end), first in list(open_runs.items()):
            if (start, end) not in runs:
                height = (index - first) * module
                path.rect(x + start * module, top - index * module, (end - start) * module, height)
                del open_runs[(start, end)]
        for run in runs:
            open_runs.setdefault(run, index)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
