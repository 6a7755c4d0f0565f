"""Working days in China (the time limit of a 差评's follow-up): weekends and public holidays off,
make-up workdays (调休) on, from the template's own lists of 2025 and 2026."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from internship.settings import Settings, SettingsError
from internship.workdays import WorkCalendar, parse_dates
from localrun import resources

CALENDAR = Settings.from_environment(resources.environment()).work_calendar


@pytest.mark.parametrize(
    ("rated", "due", "why"),
    [
        (date(2026, 9, 18), date(2026, 10, 9), "Friday before 中秋/国庆: Sunday 9/20 worked, 9/25-27 and 10/1-7 off"),
        (date(2026, 2, 13), date(2026, 3, 5), "Friday before 春节: Saturdays 2/14 and 2/28 worked, 2/15-23 off"),
        (date(2025, 9, 26), date(2025, 10, 16), "Friday before 国庆 2025: Sunday 9/28 and Saturday 10/11 worked"),
        (date(2026, 3, 9), date(2026, 3, 23), "an ordinary fortnight: ten weekdays"),
        (date(2026, 10, 3), date(2026, 10, 20), "rated on a holiday: counting starts after it, 10/10 worked"),
        (date(2026, 12, 24), date(2027, 1, 8), "across New Year's Day 2027"),
    ],
)
def test_the_due_date_is_the_tenth_working_day_after(rated: date, due: date, why: str) -> None:
    assert CALENDAR.add_working_days(rated, 10) == due, why


def test_makeup_saturdays_are_working_days_and_holiday_mondays_are_not() -> None:
    assert CALENDAR.is_working_day(date(2026, 2, 28))  # Saturday, 调休上班
    assert CALENDAR.is_working_day(date(2026, 9, 20))  # Sunday, 调休上班
    assert not CALENDAR.is_working_day(date(2026, 2, 16))  # Monday, 春节
    assert not CALENDAR.is_working_day(date(2026, 3, 7))  # an ordinary Saturday
    assert CALENDAR.is_working_day(date(2026, 3, 6))  # an ordinary Friday


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)), st.integers(min_value=1, max_value=30))
def test_exactly_n_working_days_lie_after_the_start_up_to_the_due_date(start: date, days: int) -> None:
    due = CALENDAR.add_working_days(start, days)
    span = [start + timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert CALENDAR.is_working_day(due)
    assert sum(CALENDAR.is_working_day(day) for day in span) == days


def test_without_holidays_it_is_weekdays() -> None:
    assert WorkCalendar().add_working_days(date(2026, 1, 1), 1) == date(2026, 1, 2)
    assert WorkCalendar().add_working_days(date(2026, 1, 2), 1) == date(2026, 1, 5)


def test_the_lists_are_dates_and_a_day_cannot_be_both() -> None:
    assert parse_dates(" 2026-01-01, 2026-01-02 ,") == {date(2026, 1, 1), date(2026, 1, 2)}
    with pytest.raises(ValueError, match="2026-13-01"):
        parse_dates("2026-01-01,2026-13-01")
    env = resources.environment()
    with pytest.raises(SettingsError, match="MAKEUP_WORKDAYS both name 2026-01-01"):
        Settings.from_environment({**env, "MAKEUP_WORKDAYS": "2026-01-01"})
    with pytest.raises(SettingsError, match="PUBLIC_HOLIDAYS: '2026-02-30' is not a date"):
        Settings.from_environment({**env, "PUBLIC_HOLIDAYS": "2026-02-30"})
