"""Pure rules of employment applications: the pre-review due date on the Chinese working-day
calendar, the numbers, and the per-kind forms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from personnel.applications import forms
from personnel.applications.deadlines import is_overdue, pre_review_due
from personnel.applications.models import ApplicationKind
from personnel.applications.numbers import CERTIFICATE_SERIES, LICENCE_SERIES, NumberFormat
from servicekit.calendar import CHINA_TZ, WorkingCalendar
from servicekit.errors import ValidationFailed

CALENDAR = WorkingCalendar()


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=CHINA_TZ)


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        # An ordinary week: Monday → the next Monday.
        ("2026-11-23", "2026-11-30"),
        # 30 September: 1–7 October are the National Day break; Saturday 10 October is a 调休
        # make-up workday: 8, 9, 10 (Sat), 12, 13 October.
        ("2026-09-30", "2026-10-13"),
        # Friday 18 September: Sunday 20 September is a make-up workday: 20, 21, 22, 23, 24.
        ("2026-09-18", "2026-09-24"),
        # Submitted on a holiday: counting starts with the first working day after it.
        ("2026-10-03", "2026-10-13"),
    ],
)
def test_pre_review_is_due_five_working_days_after_submission(submitted: str, due: str) -> None:
    assert pre_review_due(CALENDAR, at(submitted), 5) == at(due)


def test_working_days_are_counted_on_china_dates_whatever_zone_the_time_is_in() -> None:
    # 20:00 UTC on 30 September is 04:00 on 1 October in China: a holiday already.
    submitted = datetime(2026, 9, 30, 20, tzinfo=UTC)
    assert pre_review_due(CALENDAR, submitted, 5) == at("2026-10-13", 4)
    assert is_overdue(at("2026-10-13"), at("2026-10-13", 11))
    assert not is_overdue(at("2026-10-13"), at("2026-10-13", 9))
    assert not is_overdue(None, at("2026-10-13"))


def test_local_numbers_must_have_the_issued_format_and_others_are_checked_loosely() -> None:
    numbering = NumberFormat("3702")
    assert numbering.issued(LICENCE_SERIES, 2026, 17) == "37022026L000017"
    assert numbering.is_valid(LICENCE_SERIES, "37022026L000017")
    assert not numbering.is_valid(CERTIFICATE_SERIES, "37022026L000017")
    assert not numbering.is_valid(LICENCE_SERIES, "3702X")
    assert numbering.is_valid(LICENCE_SERIES, "440100202611250001")
    assert numbering.is_valid(CERTIFICATE_SERIES, "粤440100HK2024000888")
    assert not numbering.is_valid(LICENCE_SERIES, "粤440100HK2024000888")


def test_each_kind_takes_the_core_keys_and_its_own() -> None:
    core = {"position": "工程师", "monthlySalary": "12000", "contractStart": "2027-01-01"}
    form = forms.parse(ApplicationKind.REGISTRATION, core)
    assert forms.stored(form) == {**core, "monthlySalary": 12000}
    forms.parse(ApplicationKind.EXEMPT_RECRUITMENT, {"exemptionReason": "免办"})
    with pytest.raises(ValidationFailed) as caught:
        forms.parse(ApplicationKind.LICENCE, {"exemptionReason": "免办", "monthlySalary": 1.5})
    assert {f.path for f in caught.value.fields} == {
        "input.form.exemptionReason",
        "input.form.monthlySalary",
    }
    with pytest.raises(ValidationFailed) as caught:
        forms.parse(
            ApplicationKind.HKMOTW_EXTENSION,
            {"homeIdNumber": "??", "currentValidUntil": "2029-01-01", "contractEnd": "2028-12-31"},
        )
    assert {f.path for f in caught.value.fields} == {
        "input.form.homeIdNumber",
        "input.form.currentValidUntil",
    }
    assert {f.path for f in forms.missing_core(ApplicationKind.LICENCE, core).items} == {
        "form.workplaceAddress",
        "form.contractEnd",
        "form.education",
    }
