"""Virus-scan hook. Every upload is scanned after its content checks and before it is stored;
a file the scanner flags is refused and nothing is kept.

The default scanner accepts everything (no engine is installed on these machines); production
wires an adapter to its engine here (e.g. clamd's INSTREAM command) through `inject.py`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ScanResult:
    is_clean: bool
    threat: str | None = None  # the engine's name for what it found


CLEAN = ScanResult(is_clean=True)


class Scanner(Protocol):
    async def scan(self, content: bytes) -> ScanResult: ...


class NoScanner:
    """The no-op default: every file is clean."""

    async def scan(self, content: bytes) -> ScanResult:
        return CLEAN
