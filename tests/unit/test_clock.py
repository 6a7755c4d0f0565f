"""Dates in China Standard Time: months, ages and periods."""

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from internship import clock


def test_the_month_is_the_month_in_shanghai_not_in_utc() -> None:
    # 2026-10-31 17:30 UTC is already 1 November in Shanghai
    assert clock.month_of(datetime(2026, 10, 31, 17, 30, tzinfo=UTC)) == "2026-11"
    assert clock.iso(datetime(2026, 10, 31, 17, 30, tzinfo=UTC)).endswith("+08:00")


def test_a_leap_day_birthday_is_counted_on_1_march_in_common_years() -> None:
    born = date(2008, 2, 29)
    assert clock.age_on(born, date(2024, 2, 28)) == 15
    assert clock.age_on(born, date(2024, 2, 29)) == 16
    assert clock.age_on(born, date(2025, 2, 28)) == 16
    assert clock.age_on(born, date(2025, 3, 1)) == 17


def test_adding_months_clamps_to_the_last_day() -> None:
    assert clock.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert clock.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert clock.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)), st.integers(min_value=0, max_value=24))
def test_months_between_undoes_add_months(start: date, months: int) -> None:
    assert clock.months_between(start, clock.add_months(start, months)) == months or start.day > 28
