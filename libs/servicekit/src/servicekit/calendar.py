"""Chinese working-day calendar: public holidays and 调休 make-up workdays from `holidays`,
with per-date overrides for years the State Council has not published yet."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

CHINA_TZ = ZoneInfo("Asia/Shanghai")


class WorkingCalendar:
    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        *,
        day_start: time = time(9, 0),
        day_end: time = time(17, 0),
    ) -> None:
        self._holidays = holidays.country_holidays("CN")
        self._overrides = dict(overrides or {})
        self.day_start = day_start
        self.day_end = day_end

    def is_working_day(self, day: date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        is_holiday = day in self._holidays  # also loads that year, and its 调休 weekend workdays
        if day in self._holidays.weekend_workdays:
            return True
        return day.weekday() < 5 and not is_holiday

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """`start` + n working days, same time of day (e.g. a 5-working-day pre-review due date)."""
        current = start
        remaining = days
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_working_day(current.date()):
                remaining -= 1
        return current

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """`start` + n hours counted only inside working hours of working days."""
        remaining = timedelta(hours=hours)
        current = start
        while True:
            day = current.date()
            opens = datetime.combine(day, self.day_start, tzinfo=current.tzinfo)
            closes = datetime.combine(day, self.day_end, tzinfo=current.tzinfo)
            if not self.is_working_day(day) or current >= closes:
                current = datetime.combine(
                    day + timedelta(days=1), self.day_start, tzinfo=current.tzinfo
                )
                continue
            current = max(current, opens)
            available = closes - current
            if remaining <= available:
                return current + remaining
            remaining -= available
            current = closes
