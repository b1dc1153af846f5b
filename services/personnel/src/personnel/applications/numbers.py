"""Numbers: application numbers, and the licence and employment certificate numbers this city
issues when a pre-review passes.

Issued numbers read `{prefix}{year}{series}{6-digit sequence}`, e.g. `37022026L000001`: the
city's code (setting `PERSONNEL_LOCAL_LICENCE_PREFIX`, default 3702 = Qingdao), the year of the
decision (China time), `L` for an employment licence (就业许可证书, a passed LICENCE) or `E` for
an employment certificate (就业证, a passed REGISTRATION or HKMOTW_EMPLOYMENT), and a sequence
per series and year from `number_counters` (gap-free: the counter row is updated in the
decision's transaction). Application numbers read `SQ{year}{6 digits}`.

Numbers users enter are checked by format; one with the local prefix must be one issued here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

LICENCE_SERIES = "L"
CERTIFICATE_SERIES = "E"
APPLICATION_SERIES = "SQ"

# Other cities' numbers: 8–24 letters/digits (e.g. 440100202611250001); certificates of
# TW/HK/Macau residents of other provinces may start with the province's abbreviation (粤…).
OTHER_LICENCE = re.compile(r"^[0-9A-Z]{8,24}$")
OTHER_CERTIFICATE = re.compile(r"^[\u4e00-\u9fff]?[0-9A-Z]{8,24}$")


def normalise(raw: str | None) -> str | None:
    value = re.sub(r"[\s-]+", "", raw or "").upper()
    return value or None


@dataclass(frozen=True)
class NumberFormat:
    prefix: str

    def local(self, series: str) -> re.Pattern[str]:
        return re.compile(rf"^{re.escape(self.prefix)}\d{{4}}{series}\d{{6}}$")

    def is_local(self, number: str) -> bool:
        return number.startswith(self.prefix)

    def is_valid(self, series: str, number: str) -> bool:
        if self.is_local(number):
            return bool(self.local(series).match(number))
        other = OTHER_LICENCE if series == LICENCE_SERIES else OTHER_CERTIFICATE
        return bool(other.match(number))

    def issued(self, series: str, year: int, sequence: int) -> str:
        return f"{self.prefix}{year}{series}{sequence:06d}"


async def next_in_series(session: AsyncSession, series: str, year: int) -> int:
    result = await session.execute(
        text(
            "INSERT INTO number_counters (series, year, last) VALUES (:series, :year, 1) "
            "ON CONFLICT (series, year) DO UPDATE SET last = number_counters.last + 1 "
            "RETURNING last"
        ),
        {"series": series, "year": year},
    )
    return int(result.scalar_one())


async def application_number(session: AsyncSession, year: int) -> str:
    return (
        f"{APPLICATION_SERIES}{year}{await next_in_series(session, APPLICATION_SERIES, year):06d}"
    )
