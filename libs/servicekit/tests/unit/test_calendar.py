from datetime import date, datetime

from servicekit.calendar import CHINA_TZ, WorkingCalendar

calendar = WorkingCalendar()


def test_public_holidays_and_make_up_workdays_follow_the_state_council_schedule() -> None:
    assert not calendar.is_working_day(date(2026, 10, 1))  # National Day
    assert calendar.is_working_day(date(2026, 1, 4))  # Sunday worked instead (调休)
    assert not calendar.is_working_day(date(2026, 1, 3))  # ordinary Saturday
    assert calendar.is_working_day(date(2026, 11, 25))  # ordinary Wednesday


def test_an_override_wins_for_years_not_yet_published() -> None:
    custom = WorkingCalendar({date(2030, 3, 4): False})
    assert not custom.is_working_day(date(2030, 3, 4))


def test_five_working_days_skip_the_national_day_week() -> None:
    submitted = datetime(2026, 9, 30, 10, 0, tzinfo=CHINA_TZ)
    due = calendar.add_working_days(submitted, 5)
    # Oct 1–7 off; Oct 8, 9, 10 (a make-up Saturday), 12, 13 are the five working days.
    assert due.date() == date(2026, 10, 13)


def test_three_working_hours_after_a_late_registration_end_next_morning() -> None:
    friday_evening = datetime(2026, 11, 27, 16, 0, tzinfo=CHINA_TZ)
    assert calendar.add_working_hours(friday_evening, 3) == datetime(
        2026, 11, 30, 11, 0, tzinfo=CHINA_TZ
    )
